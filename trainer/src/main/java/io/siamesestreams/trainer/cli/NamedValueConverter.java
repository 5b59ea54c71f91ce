package io.siamesestreams.trainer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Converts an option's word (case-insensitive, e.g. {@code semi-hard}) into its value; an unknown
 * word is rejected at parse time with {@code "--OPTION must be a, b or c, was x"}.
 *
 * @param <T> the option's type
 */
abstract class NamedValueConverter<T> implements CommandLine.ITypeConverter<T> {
  private final String option;
  private final Map<String, T> values;

  /** @param namesAndValues alternating word, value pairs; the first word of each value is the one listed */
  @SuppressWarnings("unchecked")
  NamedValueConverter(String option, Object... namesAndValues) {
    this.option = option;
    Map<String, T> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], (T) namesAndValues[i + 1]);
    }
    this.values = map;
  }

  @Override
  public T convert(String word) {
    T value = values.get(word.toLowerCase(Locale.ROOT));
    if (value == null) {
      throw new IllegalArgumentException(option + " must be " + listed() + ", was " + word);
    }
    return value;
  }

  private String listed() {
    List<String> names = new ArrayList<>();
    List<T> seen = new ArrayList<>();
    values.forEach((name, value) -> {
      if (!seen.contains(value)) {
        seen.add(value);
        names.add(name);
      }
    });
    int last = names.size() - 1;
    return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }
}
