package io.ifpulse.summary;

/**
 * The interfaces of a device's latest sample, as the summary reads them: position by position,
 * without a record per interface (the history keeps them as columns of primitives).
 */
public interface InterfaceColumns {
  int size();

  int ifIndex(int k);

  /** Null when the agent gave no name. */
  String name(int k);

  /** ifOperStatus as its MIB name, or null. */
  String oper(int k);

  /** NaN when the sample has no such rate for the interface. */
  double inBps(int k);

  double outBps(int k);

  double inUtil(int k);

  double outUtil(int k);
}
