package io.ifpulse.groups;

/**
 * One interface of a group: a device's interface by ifIndex, with its name for the people who read
 * the sample (an ifIndex renumbered by an agent restart is resolved again at the next discovery).
 */
public record MemberRef(String device, int ifIndex, String name) implements Comparable<MemberRef> {

  /** How a missing member is named in a sample: {@code device/name}. */
  public String label() {
    return device + "/" + (name == null ? Integer.toString(ifIndex) : name);
  }

  @Override
  public int compareTo(MemberRef o) {
    int c = device.compareTo(o.device);
    return c != 0 ? c : Integer.compare(ifIndex, o.ifIndex);
  }
}
