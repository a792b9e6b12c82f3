"""Reads a Logbook TensorBoard export with TensorBoard's own EventAccumulator and prints it as JSON.

usage: tensorboard_read.py DIR
Output: {"experiment": {...} | null, "runs": {"run-ID": {"scalars": {tag: [[step, value, wall_time], ...]},
         "session_start": {...}, "session_end": {...}}}}. Values are printed as Python's repr text ("0.1", "nan"), which the test parses exactly.
"""
import json
import os
import sys

from google.protobuf import json_format
from tensorboard import context
from tensorboard.backend.event_processing import data_provider, event_accumulator, event_file_loader
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from tensorboard.plugins.hparams import api_pb2, backend_context, list_session_groups, plugin_data_pb2


def load(path):
    accumulator = event_accumulator.EventAccumulator(path, size_guidance={event_accumulator.SCALARS: 0})
    accumulator.Reload()
    return accumulator


def hparams(accumulator):
    try:
        content = accumulator.PluginTagToContent("hparams")
    except KeyError:
        content = {}
    parsed = {}
    for tag, data in content.items():
        message = plugin_data_pb2.HParamsPluginData.FromString(data)
        assert message.version == 0, message
        kind = message.WhichOneof("data")
        parsed[tag] = json_format.MessageToDict(getattr(message, kind), preserving_proto_field_name=True)
    return parsed


def first_file_version(path):
    """The file_version string of the first event of the run's one event file (TensorBoard's record reader checks
    each record's masked CRC-32C)."""
    files = [name for name in os.listdir(path) if name.startswith("events.out.tfevents.")]
    assert len(files) == 1, files
    for event in event_file_loader.EventFileLoader(os.path.join(path, files[0])).Load():
        return event.file_version


def session_groups(directory):
    """What TensorBoard's HParams tab lists: the hparams plugin's ListSessionGroups handler (the one behind its
    /session_groups route) over a data provider on the folder, every status allowed."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(directory)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, directory)
    tensorboard_context = base_plugin.TBContext(logdir=directory, multiplexer=multiplexer, data_provider=provider)
    request = api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=100000, allowed_statuses=[0, 1, 2, 3])
    response = list_session_groups.Handler(
        context.RequestContext(), backend_context.Context(tensorboard_context), "", request).run()
    return [json_format.MessageToDict(group, preserving_proto_field_name=True) for group in response.session_groups]


def number(value):
    return repr(float(value))


def main(directory):
    top = hparams(load(directory))
    result = {"experiment": top.get("_hparams_/experiment"), "runs": {}, "session_groups": session_groups(directory)}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not os.path.isdir(path):
            continue
        accumulator = load(path)
        scalars = {}
        for tag in accumulator.Tags()["scalars"]:
            scalars[tag] = [[event.step, number(event.value), event.wall_time] for event in accumulator.Scalars(tag)]
        data = hparams(accumulator)
        result["runs"][name] = {
            "file_version": first_file_version(path),
            "parsed_file_version": accumulator.file_version,
            "scalars": scalars,
            "session_start": data.get("_hparams_/session_start_info"),
            "session_end": data.get("_hparams_/session_end_info"),
        }
    json.dump(result, sys.stdout)


main(sys.argv[1])
