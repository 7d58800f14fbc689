package dev.opsctl.cli;

import picocli.CommandLine;

/** {@code KEY=VALUE}; the value may be empty and may itself contain '='. */
final class KeyValueConverter implements CommandLine.ITypeConverter<KeyValue> {
    @Override
    public KeyValue convert(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new CommandLine.TypeConversionException(
                    "expected KEY=VALUE but got '" + text + "' (e.g. -e drain_wait=5m)");
        }
        String key = text.substring(0, eq).strip();
        if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new CommandLine.TypeConversionException("'" + key + "' is not a parameter name (letters, digits, '_', '-', '.')");
        }
        return new KeyValue(key, text.substring(eq + 1));
    }
}
