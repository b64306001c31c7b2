#!/usr/bin/env bash
# Makes the TLS material of an ifpulse cluster's event bus (README, "Running a cluster"):
#   scripts/cluster-certs.sh DIR NODE[=IP[,IP...]]...
#   scripts/cluster-certs.sh /etc/ifpulse/bus node1=10.0.0.1 node2=10.0.0.2 node3=10.0.0.3
# In DIR: the cluster's CA (ca.pem; ca-key.pem, which signs new nodes and must stay in DIR), made
# on the first run and reused by every later one; per node NODE.pem and NODE-key.pem, signed by
# that CA, naming the node and its IPs. A node that already has a certificate of this CA naming
# all it is asked for, valid for another 30 days, keeps it. Keys are EC P-256, readable by their
# owner only. Prints, per node, the variables to set on it; give each node ca.pem and its own two
# files, never ca-key.pem.
set -euo pipefail

usage() {
  echo "usage: scripts/cluster-certs.sh DIR NODE[=IP[,IP...]]...   e.g. /etc/ifpulse/bus node1=10.0.0.1 node2=10.0.0.2" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command -v openssl >/dev/null || { echo "cluster-certs.sh: openssl is needed (apt-get install openssl)" >&2; exit 1; }

dir=$1
shift
# Check every argument before writing anything.
for spec in "$@"; do
  name=${spec%%=*}
  [[ "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$ ]] || { echo "cluster-certs.sh: bad node name '$name' (letters, digits, '.' and '-')" >&2; exit 2; }
  [[ "$name" != ca && "$name" != ca-key ]] || { echo "cluster-certs.sh: '$name' is the CA's file name; call the node something else" >&2; exit 2; }
  if [[ "$spec" == *=* ]]; then
    IFS=, read -r -a ips <<<"${spec#*=}"
    [ ${#ips[@]} -gt 0 ] || { echo "cluster-certs.sh: no IP after '$name='" >&2; exit 2; }
    for ip in "${ips[@]}"; do
      [[ "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ || "$ip" =~ ^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$ ]] \
        || { echo "cluster-certs.sh: '$ip' (node $name) is not an IP address" >&2; exit 2; }
    done
  fi
done

# Nothing made here may be readable by others: the keys are the cluster's membership.
umask 077
mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
ca="$dir/ca.pem"
cakey="$dir/ca-key.pem"
tmp=$(mktemp -d "$dir/.cluster-certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 16)"; }

if [ -e "$ca" ] || [ -e "$cakey" ]; then
  [ -f "$ca" ] && [ -f "$cakey" ] || { echo "cluster-certs.sh: $dir has only one of ca.pem and ca-key.pem; restore the other or start over in an empty directory" >&2; exit 1; }
  openssl x509 -in "$ca" -noout -checkend 0 >/dev/null || { echo "cluster-certs.sh: the CA $ca has expired; make a new one in an empty directory" >&2; exit 1; }
  echo "cluster-certs.sh: using the CA in $dir ($(openssl x509 -in "$ca" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'))" >&2
else
  # Ten years, so that nodes are re-issued long before the CA must change; its name tells the
  # CAs of two clusters apart.
  newkey "$tmp/ca-key.pem"
  openssl req -x509 -new -key "$tmp/ca-key.pem" -sha256 -days 3650 -set_serial "$(serial)" \
    -subj "/O=ifpulse/CN=ifpulse cluster CA $(hostname -s 2>/dev/null || echo host) $(date -u +%Y%m%dT%H%M%SZ)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$tmp/ca.pem" 2>/dev/null
  chmod 600 "$tmp/ca-key.pem"
  chmod 644 "$tmp/ca.pem"
  mv "$tmp/ca-key.pem" "$cakey"
  mv "$tmp/ca.pem" "$ca"
  echo "cluster-certs.sh: made the CA $ca (keep $cakey here: it signs new nodes; no node needs it)" >&2
fi

for spec in "$@"; do
  name=${spec%%=*}
  ips=()
  if [[ "$spec" == *=* ]]; then IFS=, read -r -a ips <<<"${spec#*=}"; fi
  san="DNS:$name"
  for ip in ${ips[@]+"${ips[@]}"}; do san="$san,IP:$ip"; done
  cert="$dir/$name.pem"
  key="$dir/$name-key.pem"
  keep=false
  if [ -f "$cert" ] && [ -f "$key" ] && openssl verify -CAfile "$ca" "$cert" >/dev/null 2>&1 \
      && openssl x509 -in "$cert" -noout -checkend $((30 * 86400)) >/dev/null \
      && openssl x509 -in "$cert" -noout -checkhost "$name" | grep -q "does match" \
      && [ "$(openssl x509 -in "$cert" -noout -pubkey)" = "$(openssl pkey -in "$key" -pubout 2>/dev/null)" ]; then
    keep=true
    for ip in ${ips[@]+"${ips[@]}"}; do
      openssl x509 -in "$cert" -noout -checkip "$ip" | grep -q "does match" || keep=false
    done
  fi
  if $keep; then
    echo "cluster-certs.sh: $name: kept $cert" >&2
  else
    # Three years; a node is both a server and a client of the others' event buses.
    newkey "$tmp/$name-key.pem"
    openssl req -new -key "$tmp/$name-key.pem" -subj "/O=ifpulse/CN=$name" -out "$tmp/$name.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" "subjectKeyIdentifier=hash" \
      "authorityKeyIdentifier=keyid" >"$tmp/$name.ext"
    openssl x509 -req -in "$tmp/$name.csr" -CA "$ca" -CAkey "$cakey" -set_serial "$(serial)" -days 1095 -sha256 \
      -extfile "$tmp/$name.ext" -out "$tmp/$name.pem" 2>/dev/null
    chmod 600 "$tmp/$name-key.pem"
    chmod 644 "$tmp/$name.pem"
    mv "$tmp/$name-key.pem" "$key"
    mv "$tmp/$name.pem" "$cert"
    echo "cluster-certs.sh: $name: made $cert ($san)" >&2
  fi
  echo "# $name"
  echo "IFPULSE_BUS_CERT=$cert"
  echo "IFPULSE_BUS_KEY=$key"
  echo "IFPULSE_BUS_CA=$ca"
done
echo "cluster-certs.sh: give each node ca.pem and its own NODE.pem and NODE-key.pem; ca-key.pem stays in $dir" >&2
