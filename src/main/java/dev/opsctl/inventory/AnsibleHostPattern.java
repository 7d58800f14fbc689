package dev.opsctl.inventory;

import java.util.List;
import java.util.Optional;

/**
 * A host entry of an Ansible inventory as its plugins read one ({@code _expand_hostpattern}): a
 * {@code :port} where parse_address finds one ({@code h1:22}, {@code [2001:db8::1]:22}, not
 * {@code 2001:db8::1} nor {@code h_:22}, which stay whole names), then ranges.
 */
record AnsibleHostPattern(List<String> names, Optional<Integer> port, Optional<String> error) {
    static AnsibleHostPattern of(String pattern) {
        Optional<AnsibleAddress.HostPort> address = AnsibleAddress.parse(pattern);
        HostRanges.Result hosts = HostRanges.expand(address.map(AnsibleAddress.HostPort::host).orElse(pattern));
        return new AnsibleHostPattern(hosts.names(), address.flatMap(AnsibleAddress.HostPort::port), hosts.error());
    }
}
