package dev.opsctl.action.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Object maps as step-result values: numbers as longs/doubles, absent values as "", and a few derived fields for pods. */
final class Results {
    private Results() {}

    static Object value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(value(x)));
            return out;
        }
        return v;
    }

    static Object at(Object root, String... path) {
        Object cur = root;
        for (String k : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return cur;
    }

    static String str(Object root, String... path) {
        Object v = at(root, path);
        return v == null ? "" : v.toString();
    }

    /** Restarts of every container of a pod: what a CrashLoopBackOff trigger watches. */
    static long restarts(Map<String, Object> pod) {
        long n = 0;
        if (at(pod, "status", "containerStatuses") instanceof List<?> l) {
            for (Object cs : l) {
                if (at(cs, "restartCount") instanceof Number num) {
                    n += num.longValue();
                }
            }
        }
        return n;
    }

    /**
     * One value per container status of every pod (init containers first) at {@code path}, e.g. the waiting
     * reasons; a container whose last termination is unknown but whose current state is terminated reports that
     * (a pod with restartPolicy Never keeps its one termination there). Absent values are left out, repeats kept once.
     */
    static List<Object> containerValues(List<Map<String, Object>> pods, String... path) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> pod : pods) {
            for (String list : List.of("initContainerStatuses", "containerStatuses")) {
                if (at(pod, "status", list) instanceof List<?> l) {
                    for (Object cs : l) {
                        Object v = at(cs, path);
                        if (v == null && path[0].equals("lastState")) {
                            String[] current = path.clone();
                            current[0] = "state";
                            v = at(cs, current);
                        }
                        Object plain = value(v);
                        if (v != null && !out.contains(plain)) {
                            out.add(plain);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Whether a pod's Ready condition is True. */
    static boolean ready(Map<String, Object> pod) {
        if (at(pod, "status", "conditions") instanceof List<?> l) {
            for (Object c : l) {
                if ("Ready".equals(at(c, "type")) && "True".equals(at(c, "status"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
