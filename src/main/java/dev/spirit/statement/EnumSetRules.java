package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When changing an ENUM or SET column loses or scrambles data. ENUM and SET values are stored as numbers (an index,
 * a bitmask), and the copy writes rows by value into the new definition; these rules keep the ones where the
 * checksum could not tell a reordered value from the right one.
 */
final class EnumSetRules {

  private EnumSetRules() {}

  /** Why changing a column from {@code from} to {@code to} is refused, or empty when it is allowed. */
  static Optional<String> problem(ColumnType from, ColumnType to) {
    if (from.isEnum()) {
      if (to.isEnum()) {
        return enumToEnum(from.values(), to.values());
      }
      if (to.isSet() || to.isCharacterOrBinaryString()) {
        return Optional.empty();
      }
      return Optional.of("converting ENUM to " + to.text() + " would turn its values into something other than "
          + "text");
    }
    if (from.isSet()) {
      if (to.isSet()) {
        return isPrefix(from.values(), to.values()) ? Optional.empty()
            : Optional.of("unsafe SET value reorder: the old values " + from.values() + " must stay first and in "
                + "order, with new values only appended, but the new list is " + to.values());
      }
      if (to.isEnum()) {
        return Optional.of("converting SET to ENUM cannot hold rows with several values");
      }
      if (to.isCharacterOrBinaryString()) {
        return Optional.empty();
      }
      return Optional.of("converting SET to " + to.text() + " would turn its values into something other than "
          + "text");
    }
    return Optional.empty();
  }

  /**
   * Values kept from the old list must keep their relative order, and no new value may come before a kept one.
   * Appending is allowed; dropping is allowed anywhere (rows holding a dropped value then differ, and the checksum
   * stops the cutover).
   */
  private static Optional<String> enumToEnum(List<String> from, List<String> to) {
    List<String> keptInNewOrder = new ArrayList<>();
    int lastKept = -1;
    int firstNew = Integer.MAX_VALUE;
    for (int i = 0; i < to.size(); i++) {
      if (from.contains(to.get(i))) {
        keptInNewOrder.add(to.get(i));
        lastKept = i;
      } else {
        firstNew = Math.min(firstNew, i);
      }
    }
    List<String> keptInOldOrder = from.stream().filter(to::contains).toList();
    if (!keptInNewOrder.equals(keptInOldOrder)) {
      return Optional.of("unsafe ENUM value reorder: the kept values " + keptInOldOrder + " would change their "
          + "order to " + keptInNewOrder);
    }
    if (firstNew < lastKept) {
      int displaced = firstNew + 1;
      while (!from.contains(to.get(displaced))) {
        displaced++;
      }
      return Optional.of("unsafe ENUM value reorder: the new value '" + to.get(firstNew) + "' is inserted before "
          + "the existing value '" + to.get(displaced) + "'");
    }
    return Optional.empty();
  }

  private static boolean isPrefix(List<String> prefix, List<String> list) {
    return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
  }
}
