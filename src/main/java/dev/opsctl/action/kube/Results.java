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
