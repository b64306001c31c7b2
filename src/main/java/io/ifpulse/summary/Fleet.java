package io.ifpulse.summary;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The counts of a set of devices (the whole fleet, or the devices an account may see): devices
 * by state, interfaces down, active alerts by severity, total traffic (3 significant digits).
 */
public record Fleet(int devices, int up, int unreachable, int noData, int disabled, int noCredentials, int ifDown, int critical,
    int warning, double inBps, double outBps) {

  /** The counts over the entries {@code visible} permits (by id and tags); all when it is null. */
  public static Fleet of(List<DeviceEntry> entries, BiPredicate<String, List<String>> visible) {
    int devices = 0;
    int[] states = new int[DeviceState.ALL.length];
    int ifDown = 0;
    int critical = 0;
    int alerts = 0;
    double in = 0;
    double out = 0;
    for (int i = 0; i < entries.size(); i++) {
      DeviceEntry e = entries.get(i);
      if (visible != null && !visible.test(e.id(), e.tags())) continue;
      devices++;
      states[e.state().ordinal()]++;
      ifDown += e.ifDown();
      critical += e.critical();
      alerts += e.alerts();
      if (!Double.isNaN(e.inBps())) in += e.inBps();
      if (!Double.isNaN(e.outBps())) out += e.outBps();
    }
    return new Fleet(devices, states[DeviceState.UP.ordinal()], states[DeviceState.UNREACHABLE.ordinal()],
        states[DeviceState.NO_DATA.ordinal()], states[DeviceState.DISABLED.ordinal()], states[DeviceState.NO_CREDENTIALS.ordinal()],
        ifDown, critical, alerts - critical, Rounding.significant3(in), Rounding.significant3(out));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("devices", devices)
        .put("states", new JsonObject()
            .put(DeviceState.UP.label, up)
            .put(DeviceState.UNREACHABLE.label, unreachable)
            .put(DeviceState.NO_DATA.label, noData)
            .put(DeviceState.DISABLED.label, disabled)
            .put(DeviceState.NO_CREDENTIALS.label, noCredentials))
        .put("ifDown", ifDown)
        .put("alerts", new JsonObject().put("critical", critical).put("warning", warning))
        .put("inBps", inBps)
        .put("outBps", outBps);
  }
}
