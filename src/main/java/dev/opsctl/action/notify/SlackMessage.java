package dev.opsctl.action.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack-compatible incoming-webhook message: {@code text} (the fallback every receiver shows) and,
 * when there are fields, {@code blocks} with a section for the text and sections of up to ten
 * fields each (Slack's limit). Mattermost, Rocket.Chat and most chat bridges accept the same JSON.
 */
public record SlackMessage(String text, Optional<String> channel, Optional<String> username, Map<String, String> fields) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FIELDS_PER_SECTION = 10;

    public SlackMessage {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static SlackMessage of(String text) {
        return new SlackMessage(text, Optional.empty(), Optional.empty(), Map.of());
    }

    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        channel.ifPresent(c -> m.put("channel", c));
        username.ifPresent(u -> m.put("username", u));
        if (!fields.isEmpty()) {
            List<Object> blocks = new ArrayList<>();
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text)));
            List<Map<String, String>> section = new ArrayList<>();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                section.add(Map.of("type", "mrkdwn", "text", "*" + escape(f.getKey()) + "*\n" + f.getValue()));
                if (section.size() == FIELDS_PER_SECTION) {
                    blocks.add(Map.of("type", "section", "fields", List.copyOf(section)));
                    section.clear();
                }
            }
            if (!section.isEmpty()) {
                blocks.add(Map.of("type", "section", "fields", List.copyOf(section)));
            }
            m.put("blocks", blocks);
        }
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook message: " + e.getOriginalMessage(), e);
        }
    }

    /** Slack's mrkdwn escaping: only these three characters are control characters there. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
