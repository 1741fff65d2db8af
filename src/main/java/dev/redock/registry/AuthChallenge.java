package dev.redock.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme such as {@code Bearer} and its parameters,
 * e.g. {@code realm}, {@code service}, {@code scope}. Parameter names are lower-cased; values are unquoted.
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first challenge of the given scheme among all the header values. */
    static Optional<AuthChallenge> find(List<String> headerValues, String scheme) {
        return headerValues.stream()
                .flatMap(v -> parse(v).stream())
                .filter(c -> c.scheme().equalsIgnoreCase(scheme))
                .findFirst();
    }

    /**
     * Parses a header value that may hold several challenges, e.g.
     * {@code Bearer realm="https://auth/token",service="reg",scope="repository:a/b:pull,push", Basic realm="x"}.
     * Commas inside quoted strings belong to the value. Anything unparseable is skipped rather than failing.
     */
    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Parser p = new Parser(header);
        while (true) {
            p.skip(" \t,");
            if (p.atEnd()) {
                return challenges;
            }
            String scheme = p.token();
            if (scheme.isEmpty()) {
                p.pos++; // a stray character: step over it
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                p.skip(" \t");
                int mark = p.pos;
                String name = p.token();
                p.skip(" \t");
                boolean isParam = !name.isEmpty() && p.peek() == '=' && p.peekAt(1) != '=';
                if (!isParam) {
                    if (!name.isEmpty() && p.peek() == '=') {
                        // token68 (e.g. base64 ending in "=="): not used by registries; skip it.
                        p.skip("=");
                        p.skip(" \t");
                        if (p.peek() == ',') {
                            p.pos++;
                        }
                        continue;
                    }
                    p.pos = mark; // the next challenge's scheme, or the end
                    break;
                }
                p.pos++; // '='
                p.skip(" \t");
                String value = p.peek() == '"' ? p.quoted() : p.token();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                p.skip(" \t");
                if (p.peek() == ',') {
                    p.pos++;
                } else {
                    break;
                }
            }
            challenges.add(new AuthChallenge(scheme, params));
        }
    }

    /** A cursor over the header value. */
    private static final class Parser {
        private static final String TOKEN_EXTRA = "!#$%&'*+-.^_`|~/:";
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return peekAt(0);
        }

        char peekAt(int offset) {
            int i = pos + offset;
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void skip(String chars) {
            while (!atEnd() && chars.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd()) {
                char c = s.charAt(pos);
                if (Character.isLetterOrDigit(c) || TOKEN_EXTRA.indexOf(c) >= 0) {
                    pos++;
                } else {
                    break;
                }
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && !atEnd()) {
                    c = s.charAt(pos++);
                }
                out.append(c);
            }
            return out.toString(); // unterminated: take what is there
        }
    }
}
