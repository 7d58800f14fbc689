package dev.opsctl.target.prometheus;

import java.net.URI;

/** Where Prometheus answers: its base URL, the form shown in messages (no credentials) and the host:port. */
record Endpoint(URI base, String shown, String host) {
    static Endpoint of(URI url) {
        if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
            throw new IllegalArgumentException("'" + strip(url) + "' is not an http or https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + strip(url) + "' has credentials in it; give them as basic auth instead");
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        return new Endpoint(url, strip(url), url.getHost() + ":" + port);
    }

    /** {@code path} appended to the base URL, keeping a path prefix such as {@code /prometheus}. */
    URI resolve(String path) {
        String base = base().toString();
        int q = base.indexOf('?');
        if (q >= 0) {
            base = base.substring(0, q);
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    private static String strip(URI url) {
        String s = url.toString();
        if (url.getRawUserInfo() != null) {
            s = s.replace(url.getRawUserInfo() + "@", "");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
