/// The HParams plugin's data (TensorBoard's `plugins/hparams/plugin_data.proto` and `api.proto`), carried as the
/// `content` of summaries whose plugin is `hparams` (`EventMessages.pluginEvent`):
///
///     HParamsPluginData { int32 version = 1; oneof { Experiment experiment = 2; SessionStartInfo session_start_info = 3;
///                                                    SessionEndInfo session_end_info = 4; } }
///     Experiment        { string description = 1; double time_created_secs = 3; repeated HParamInfo hparam_infos = 4;
///                         repeated MetricInfo metric_infos = 5; string name = 6; }
///     HParamInfo        { string name = 1; DataType type = 4; }          DataType: STRING 1, BOOL 2, FLOAT64 3
///     MetricInfo        { MetricName name = 1; }                          MetricName { string group = 1; string tag = 2; }
///     SessionStartInfo  { map<string, google.protobuf.Value> hparams = 1; string group_name = 4; double start_time_secs = 5; }
///     SessionEndInfo    { Status status = 1; double end_time_secs = 2; }  Status: UNKNOWN 0, SUCCESS 1, FAILURE 2, RUNNING 3
///     google.protobuf.Value { double number_value = 2; string string_value = 3; bool bool_value = 4; }
///
/// A map entry is a nested message `{ key = 1; value = 2; }`. The tags are `_hparams_/experiment` (in the folder
/// above the runs), `_hparams_/session_start_info` and `_hparams_/session_end_info` (in each run's folder).
enum HParamsMessages {
    static let plugin = "hparams"
    static let version: Int64 = 0
    static let experimentTag = "_hparams_/experiment"
    static let sessionStartTag = "_hparams_/session_start_info"
    static let sessionEndTag = "_hparams_/session_end_info"

    /// A hyperparameter's value as the plugin holds it.
    enum Value: Equatable, Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)

        /// `DataType` of `HParamInfo`.
        var dataType: Int64 {
            switch self {
            case .string: return 1
            case .bool: return 2
            case .number: return 3
            }
        }
    }

    enum Status: Int64, Sendable {
        case unknown = 0, success = 1, failure = 2, running = 3
    }

    static func experiment(
        name: String, description: String, createdAt: Double, hyperparameters: [(name: String, type: Int64)],
        metricTags: [String]
    ) -> [UInt8] {
        pluginData(field: 2) { experiment in
            experiment.string(1, description)
            experiment.double(3, createdAt)
            for hyperparameter in hyperparameters {
                experiment.message(4) { info in
                    info.string(1, hyperparameter.name)
                    info.integer(4, hyperparameter.type)
                }
            }
            for tag in metricTags {
                experiment.message(5) { info in
                    info.message(1) { metricName in metricName.string(2, tag) }
                }
            }
            experiment.string(6, name)
        }
    }

    static func sessionStart(hyperparameters: [(name: String, value: Value)], group: String, startedAt: Double) -> [UInt8] {
        pluginData(field: 3) { start in
            for (name, value) in hyperparameters {
                start.message(1) { entry in
                    entry.string(1, name)
                    entry.message(2) { protobufValue in
                        switch value {
                        case .number(let number): protobufValue.double(2, number)
                        case .string(let text): protobufValue.string(3, text)
                        case .bool(let flag): protobufValue.bool(4, flag)
                        }
                    }
                }
            }
            if !group.isEmpty { start.string(4, group) }
            start.double(5, startedAt)
        }
    }

    static func sessionEnd(status: Status, endedAt: Double) -> [UInt8] {
        pluginData(field: 4) { end in
            end.integer(1, status.rawValue)
            end.double(2, endedAt)
        }
    }

    private static func pluginData(field: Int, _ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var data = ProtobufWriter()
        data.integer(1, version)
        data.message(field, body)
        return data.bytes
    }
}
