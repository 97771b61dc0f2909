package dev.spirit.cli;

import dev.spirit.config.ByteSize;
import dev.spirit.config.GoDuration;
import dev.spirit.config.HostPort;
import dev.spirit.config.TlsMode;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli adapters for the value syntaxes of {@link dev.spirit.config}. A conversion failure becomes a
 * {@link TypeConversionException} so that picocli reports it as a usage error for the option at hand.
 */
final class ValueConverters {
  private ValueConverters() {}

  static final class GoDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return GoDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class ByteSizeConverter implements ITypeConverter<ByteSize> {
    @Override
    public ByteSize convert(String value) {
      try {
        return ByteSize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A host without a port gets 3306, wherever the text came from; the option file adds its own port beforehand. */
  static final class HostPortConverter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return HostPort.parse(value, HostPort.DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class TlsModeConverter implements ITypeConverter<TlsMode> {
    @Override
    public TlsMode convert(String value) {
      try {
        return TlsMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class StatusFormatConverter implements ITypeConverter<dev.spirit.config.StatusFormat> {
    @Override
    public dev.spirit.config.StatusFormat convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "text" -> dev.spirit.config.StatusFormat.TEXT;
        case "json" -> dev.spirit.config.StatusFormat.JSON;
        default -> throw new TypeConversionException("'" + value + "' is not a status format: use text or json");
      };
    }
  }

  /** {@code host:port} to listen on: the port must be written, since no default port is right for every machine. */
  static final class ListenAddressConverter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        if (HostPort.explicitPort(value).isEmpty()) {
          throw new TypeConversionException("'" + value + "' has no port: use host:port, such as 127.0.0.1:9090");
        }
        return HostPort.parse(value, 0);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
