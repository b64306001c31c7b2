# Sourced by scripts/test.sh and scripts/bench.sh: apt_install PACKAGE... installs Debian packages
# that are missing, as root or through sudo. Services the packages ship (snmpd on udp/161,
# prometheus-snmp-exporter on :9116) are kept from starting: a policy-rc.d that denies every
# start, only for the duration of the install, and only if the machine does not already have one.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  local SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      printf '%s: missing packages (%s) and neither root nor sudo available; install them and rerun\n' "$0" "$*" >&2
      exit 1
    fi
  fi
  printf '%s: installing: %s\n' "$0" "$*" >&2
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  local status=0
  { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; } || status=$?
  if [ "$added_policy" -eq 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi
  return "$status"
}
