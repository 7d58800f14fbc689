package dev.opsctl.checklist.run;

import dev.opsctl.checklist.Item;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers given before the run: from {@code --confirm ID} / {@code --confirm ID@host} and an answers
 * file. An answer for {@code id@host} wins over one for {@code id}. Items with no preset answer go to
 * the fallback, by default nobody (unanswered: the checklist fails closed).
 */
public final class PresetAnswers implements ChecklistPrompter {
    private final Map<String, Answer> answers;
    private final ChecklistPrompter fallback;

    public PresetAnswers(Map<String, Answer> answers, ChecklistPrompter fallback) {
        this.answers = Map.copyOf(answers);
        this.fallback = fallback;
    }

    public PresetAnswers(Map<String, Answer> answers) {
        this(answers, ChecklistPrompter.NONE);
    }

    /** {@code --confirm} keys as confirmations by {@code operator}. */
    public static Map<String, Answer> confirmations(List<String> keys) {
        Map<String, Answer> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, Answer.confirm("")));
        return out;
    }

    public PresetAnswers orElse(ChecklistPrompter other) {
        return new PresetAnswers(answers, other);
    }

    public Map<String, Answer> answers() {
        return answers;
    }

    @Override
    public Answer ask(Item item, Optional<String> host, List<Evidence> context) throws InterruptedException {
        Optional<Answer> preset = host.map(h -> answers.get(item.id() + "@" + h)).or(() -> Optional.ofNullable(answers.get(item.id())));
        return preset.isPresent() ? preset.get() : fallback.ask(item, host, context);
    }

    @Override
    public void checked(ItemResult result) {
        fallback.checked(result);
    }

    @Override
    public void waiting(dev.opsctl.checklist.ItemGroup group, java.time.Duration remaining) {
        fallback.waiting(group, remaining);
    }
}
