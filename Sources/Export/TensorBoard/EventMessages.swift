/// The TensorBoard messages Logbook writes, encoded by `ProtobufWriter` with the field numbers of TensorBoard's
/// `compat/proto/event.proto`, `summary.proto` and `tensor.proto`:
///
///     Event           { double wall_time = 1; int64 step = 2; oneof { string file_version = 3; Summary summary = 5; } }
///     Summary         { repeated Value value = 1; }
///     Summary.Value   { string tag = 1; oneof { float simple_value = 2; TensorProto tensor = 8; } SummaryMetadata metadata = 9; }
///     SummaryMetadata { PluginData plugin_data = 1; }   PluginData { string plugin_name = 1; bytes content = 2; }
///     TensorProto     { DataType dtype = 1; TensorShapeProto tensor_shape = 2; }   TensorShapeProto { repeated Dim dim = 2; }
///
/// Scalars are `simple_value` (float32: what TensorBoard's scalar charts hold), read by `EventAccumulator.Scalars`.
enum EventMessages {
    /// The first record of every event file.
    static let fileVersion = "brain.Event:2"

    static func fileVersionEvent(wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.string(3, fileVersion)
        return event.bytes
    }

    /// One scalar `value` under `tag` at `step`.
    static func scalarEvent(tag: String, value: Float, step: Int, wallTime: Double) -> [UInt8] {
        summaryEvent(tag: tag, step: step, wallTime: wallTime) { entry in entry.float(2, value) }
    }

    /// A summary value that only carries plugin data (`content` for `plugin`), with the empty float tensor of
    /// shape `(0,)` that TensorBoard's own hparams summaries carry beside it (`metadata.NULL_TENSOR`).
    static func pluginEvent(tag: String, plugin: String, content: [UInt8], step: Int, wallTime: Double) -> [UInt8] {
        summaryEvent(tag: tag, step: step, wallTime: wallTime) { entry in
            entry.message(8) { tensor in
                tensor.integer(1, 1)  // DT_FLOAT
                tensor.message(2) { shape in shape.message(2) { _ in } }  // one dimension of size 0
            }
            entry.message(9) { metadata in
                metadata.message(1) { pluginData in
                    pluginData.string(1, plugin)
                    pluginData.bytes(2, content)
                }
            }
        }
    }

    /// An event at `step` whose summary holds one value under `tag`; `value` writes the rest of that value.
    private static func summaryEvent(
        tag: String, step: Int, wallTime: Double, value: (inout ProtobufWriter) -> Void
    ) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.integer(2, Int64(step))
        event.message(5) { summary in
            summary.message(1) { entry in
                entry.string(1, tag)
                value(&entry)
            }
        }
        return event.bytes
    }
}
