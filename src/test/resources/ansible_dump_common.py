"""What the Ansible dump scripts share: Ansible set to fail on an unparsed inventory, its warnings
collected instead of printed, and the inventory plugin chosen by file name (so each file is read
by exactly one plugin, as opsctl reads it)."""

from ansible import constants as C
from ansible.utils.display import Display

PLUGIN_BY_EXTENSION = {'.ini': 'ini', '.yml': 'yaml', '.yaml': 'yaml'}

# Cleared by the scripts before each request; appended to by Ansible's Display.warning.
warnings = []


def collect_warning(self, msg, formatted=False):
    warnings.append(msg)


# The plugin's own error reaches the user only as a warning before the final 'Completely failed'.
Display.warning = collect_warning
C.INVENTORY_UNPARSED_IS_FAILED = True
C.INVENTORY_ANY_UNPARSED_IS_FAILED = True


def plugin_for(path):
    for extension, plugin in PLUGIN_BY_EXTENSION.items():
        if path.endswith(extension):
            return plugin
    raise SystemExit('no inventory plugin for %s: name it .ini, .yml or .yaml' % path)
