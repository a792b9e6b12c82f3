/// An ONNX model (`onnx/onnx.proto`), encoded by `ProtobufWriter` with its field numbers:
///
///     ModelProto      { int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
///                       string doc_string = 6; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8;
///                       repeated StringStringEntryProto metadata_props = 14; }
///     OperatorSetIdProto { string domain = 1; int64 version = 2; }    StringStringEntryProto { key = 1; value = 2; }
///     GraphProto      { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
///                       repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
///     NodeProto       { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
///                       repeated AttributeProto attribute = 5; }
///     AttributeProto  { string name = 1; float f = 2; int64 i = 3; AttributeType type = 20; }   FLOAT 1, INT 2
///     TensorProto     { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; }  FLOAT 1
///     ValueInfoProto  { string name = 1; TypeProto type = 2; }
///     TypeProto       { Tensor tensor_type = 1; }   Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
///     TensorShapeProto { repeated Dimension dim = 1; }   Dimension { int64 dim_value = 1; string dim_param = 2; }
///
/// Tensors are float32, stored as little-endian `raw_data`.
struct ONNXModelWriter {
    /// Opset 21 of the default domain, whose models carry IR version 10.
    static let opsetVersion: Int64 = 21
    static let irVersion: Int64 = 10

    enum Attribute {
        case float(String, Float)
        case integer(String, Int64)
    }

    struct Node {
        var operation: String
        var inputs: [String]
        var outputs: [String]
        var name: String
        var attributes: [Attribute] = []
    }

    struct Initializer {
        var name: String
        var shape: [Int]
        var values: [Float]
    }

    /// A graph input or output: float32 of `shape`, where nil is a named free dimension (`batch`).
    struct Value {
        var name: String
        var shape: [Int?]
    }

    var graphName: String
    var nodes: [Node] = []
    var initializers: [Initializer] = []
    var inputs: [Value] = []
    var outputs: [Value] = []
    var documentation = ""
    var metadata: [(key: String, value: String)] = []

    func encode(producerVersion: String) -> [UInt8] {
        var model = ProtobufWriter()
        model.integer(1, Self.irVersion)
        model.string(2, "logbook")
        model.string(3, producerVersion)
        if !documentation.isEmpty { model.string(6, documentation) }
        model.message(7) { graph in
            for node in nodes { graph.message(1) { Self.encode(node, into: &$0) } }
            graph.string(2, graphName)
            for initializer in initializers { graph.message(5) { Self.encode(initializer, into: &$0) } }
            for input in inputs { graph.message(11) { Self.encode(input, into: &$0) } }
            for output in outputs { graph.message(12) { Self.encode(output, into: &$0) } }
        }
        model.message(8) { opset in
            opset.string(1, "")
            opset.integer(2, Self.opsetVersion)
        }
        for (key, value) in metadata {
            model.message(14) { entry in
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return model.bytes
    }

    private static func encode(_ node: Node, into writer: inout ProtobufWriter) {
        for input in node.inputs { writer.string(1, input) }
        for output in node.outputs { writer.string(2, output) }
        writer.string(3, node.name)
        writer.string(4, node.operation)
        for attribute in node.attributes {
            writer.message(5) { encoded in
                switch attribute {
                case .float(let name, let value):
                    encoded.string(1, name)
                    encoded.float(2, value)
                    encoded.integer(20, 1)
                case .integer(let name, let value):
                    encoded.string(1, name)
                    encoded.integer(3, value)
                    encoded.integer(20, 2)
                }
            }
        }
    }

    private static func encode(_ initializer: Initializer, into writer: inout ProtobufWriter) {
        if !initializer.shape.isEmpty { writer.packedIntegers(1, initializer.shape.map(Int64.init)) }
        writer.integer(2, 1)  // FLOAT
        writer.string(8, initializer.name)
        var raw = ProtobufWriter()
        for value in initializer.values { raw.littleEndian(value.bitPattern) }
        writer.bytes(9, raw.bytes)
    }

    private static func encode(_ value: Value, into writer: inout ProtobufWriter) {
        writer.string(1, value.name)
        writer.message(2) { type in
            type.message(1) { tensor in
                tensor.integer(1, 1)  // FLOAT
                tensor.message(2) { shape in
                    for dimension in value.shape {
                        shape.message(1) { encoded in
                            if let size = dimension { encoded.integer(1, Int64(size)) } else { encoded.string(2, "batch") }
                        }
                    }
                }
            }
        }
    }
}
