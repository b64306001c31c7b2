package io.ifpulse.summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The best {@code n} of many candidates in one pass, holding only {@code n} at a time: the fleet's
 * top lists are drawn from every device's own top {@code n}, some 50,000 candidates at 5,000
 * devices, and a sort of them all would cost a copy and n log n each second.
 */
public final class TopSelection {
  private final int n;
  private final Comparator<TopInterface> order;
  private final TopInterface[] best;
  private int size;

  public TopSelection(int n, Comparator<TopInterface> order) {
    this.n = n;
    this.order = order;
    this.best = new TopInterface[n];
  }

  /** Offers a candidate; kept if it is among the best {@code n} so far. */
  public void offer(TopInterface t) {
    if (n == 0) return;
    if (size == n && order.compare(t, best[n - 1]) >= 0) return; // the common case: not better than the last kept
    int at = size < n ? size++ : n - 1;
    // Insertion from the end: n is small (10).
    while (at > 0 && order.compare(t, best[at - 1]) < 0) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = t;
  }

  public void offerAll(List<TopInterface> ts) {
    for (int i = 0; i < ts.size(); i++) offer(ts.get(i));
  }

  /** The kept candidates, best first. */
  public List<TopInterface> result() {
    List<TopInterface> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) out.add(best[i]);
    return List.copyOf(out);
  }
}
