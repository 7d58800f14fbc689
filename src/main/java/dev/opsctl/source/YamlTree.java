package dev.opsctl.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses YAML text into a {@link Node} tree in one streaming pass, recording the position of every
 * key and value. Syntax errors and duplicate keys become problems; the caller gets a tree only when
 * the text was well-formed.
 */
public final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final int MAX_DEPTH = 200;

    private final String file;
    private final String text;
    private final Problems problems;
    private final JsonParser parser;
    private final int[] codePoints;

    private YamlTree(String file, String text, Problems problems, JsonParser parser) {
        this.file = file;
        this.text = text;
        this.codePoints = charIndexOfEachCodePoint(text);
        this.problems = problems;
        this.parser = parser;
    }

    /** Reads and parses a file; an unreadable file is a problem at the file, not an exception. */
    public static Optional<Node> parseFile(Path path, String displayName, Problems problems) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.error(new SourcePos(displayName, 0, 0), "cannot read file: " + e.getMessage());
            return Optional.empty();
        }
        return parse(displayName, text, problems);
    }

    public static Optional<Node> parse(String file, String text, Problems problems) {
        problems.addSource(file, text);
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlTree tree = new YamlTree(file, text, problems, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.error(new SourcePos(file, 1, 1), "the file is empty", "a runbook starts with 'apiVersion: opsctl/v1'");
                return Optional.empty();
            }
            Node root = tree.read(first, 0);
            if (root != null && parser.nextToken() != null) {
                problems.error(tree.here(), "more than one YAML document in the file", "keep one document per file");
                return Optional.empty();
            }
            return Optional.ofNullable(root);
        } catch (JsonProcessingException e) {
            problems.error(positionOf(file, e.getLocation()), "YAML syntax error: " + syntaxMessage(e), "check the indentation and quoting near this line");
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // SnakeYAML throws unchecked exceptions for some malformed input; still a reported problem.
            problems.error(new SourcePos(file, 1, 1), "YAML syntax error: " + firstLine(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
    }

    private Node read(JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            problems.error(here(), "nesting deeper than " + MAX_DEPTH + " levels");
            return null;
        }
        SourcePos pos = here();
        switch (token) {
            case START_OBJECT:
                return readMap(pos, depth);
            case START_ARRAY:
                List<Node> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    if (t == null) {
                        throw new IllegalStateException("unexpected end of input in a list");
                    }
                    Node item = read(t, depth + 1);
                    if (item == null) {
                        return null;
                    }
                    items.add(item);
                }
                return new SeqNode(items, pos);
            case VALUE_STRING:
                return new ScalarNode(parser.getText(), ScalarNode.Kind.STRING, pos, plain());
            case VALUE_NUMBER_INT:
                return new ScalarNode(parser.getText(), ScalarNode.Kind.INT, pos, plain());
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(parser.getText(), ScalarNode.Kind.FLOAT, pos, plain());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ScalarNode(String.valueOf(token == JsonToken.VALUE_TRUE), ScalarNode.Kind.BOOL, pos, plain());
            case VALUE_NULL:
                return new ScalarNode("", ScalarNode.Kind.NULL, pos, plain());
            default:
                problems.error(pos, "unsupported YAML construct (" + token + ")");
                return null;
        }
    }

    private Node readMap(SourcePos pos, int depth) throws IOException {
        Map<String, MapNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new IllegalStateException("expected a key in a mapping");
            }
            String key = parser.currentName();
            SourcePos keyPos = here();
            boolean plainKey = plain();
            Node value = read(parser.nextToken(), depth + 1);
            if (value == null) {
                return null;
            }
            if (entries.containsKey(key)) {
                problems.error(keyPos, "duplicate key '" + key + "' (first at line " + entries.get(key).keyPos().line() + ")",
                        "remove one of them; YAML keeps only the last");
            }
            entries.put(key, new MapNode.Entry(key, keyPos, value, plainKey));
        }
        return new MapNode(entries, pos);
    }

    /**
     * Whether the current scalar is written plain (no quotes, no block scalar, tag or anchor):
     * only a plain scalar's type is resolved from its text.
     */
    private boolean plain() {
        long offset = parser.currentTokenLocation().getCharOffset();
        int at = offset < 0 || offset >= codePoints.length ? -1 : codePoints[(int) offset];
        if (at < 0) {
            return true; // an empty value at the end of the text
        }
        return "\"'|>!&*".indexOf(text.charAt(at)) < 0;
    }

    /** The parser counts offsets in code points; an emoji before a quoted value would shift a char index onto another char. */
    private static int[] charIndexOfEachCodePoint(String text) {
        int[] out = new int[text.codePointCount(0, text.length())];
        for (int i = 0, cp = 0; i < text.length(); cp++) {
            out[cp] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        return out;
    }

    private SourcePos here() {
        return positionOf(file, parser.currentTokenLocation());
    }

    private static SourcePos positionOf(String file, JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return new SourcePos(file, 1, 1);
        }
        return new SourcePos(file, loc.getLineNr(), Math.max(1, loc.getColumnNr()));
    }

    private static String syntaxMessage(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            return "malformed YAML";
        }
        // SnakeYAML messages carry their own excerpt ("in 'reader', line 3, column 5: ..."); keep the gist.
        StringBuilder gist = new StringBuilder();
        for (String line : msg.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("in '") || l.startsWith("^") || l.startsWith("at [")) {
                continue;
            }
            if (l.startsWith("...") || line.startsWith("    ")) {
                continue;
            }
            if (gist.length() > 0) {
                gist.append("; ");
            }
            gist.append(l);
        }
        return gist.length() == 0 ? firstLine(msg) : gist.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
