package dev.opsctl.runbook.load;

import java.util.Collection;

/** The checklist names a gate may use; the app layer implements it from the {@code checklists/} directory. */
public interface Checklists {
    boolean exists(String name);

    Collection<String> names();

    /** Any name exists: for loading a runbook without its checklists at hand. */
    Checklists ANY = new Checklists() {
        @Override
        public boolean exists(String name) {
            return true;
        }

        @Override
        public Collection<String> names() {
            return java.util.List.of();
        }
    };

    static Checklists of(Collection<String> names) {
        java.util.Set<String> set = java.util.Set.copyOf(names);
        return new Checklists() {
            @Override
            public boolean exists(String name) {
                return set.contains(name);
            }

            @Override
            public Collection<String> names() {
                return set.stream().sorted().toList();
            }
        };
    }
}
