# A stdout callback for opsctl's differential tests: each play's name and each task's result per
# host, as one JSON document at the end, in the shape of ansible.posix's json callback (which
# Debian's ansible-core does not ship).
import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: opsctl_json
    type: stdout
    short_description: plays, tasks and per-host results as JSON, for opsctl's tests
    description: plays, tasks and per-host results as JSON, for opsctl's tests
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'opsctl_json'

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({'play': {'name': play.get_name()}, 'tasks': []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]['tasks'].append({'task': {'name': task.get_name()}, 'hosts': {}})

    def _record(self, result):
        self.plays[-1]['tasks'][-1]['hosts'][result._host.get_name()] = result._result

    v2_runner_on_ok = _record
    v2_runner_on_failed = lambda self, result, ignore_errors=False: self._record(result)
    v2_runner_on_unreachable = _record
    v2_runner_on_skipped = _record

    def v2_playbook_on_stats(self, stats):
        self._display.display(json.dumps({'plays': self.plays}, default=str))
