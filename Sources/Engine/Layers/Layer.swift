/// One stage of a sequential network. `forward` and `backward` live side by side in each layer's file.
///
/// Activations flow as row-major `batch × width` matrices. A layer owns its output and input-gradient storage:
/// the pointer `forward` returns stays valid until the next `forward`, and `backward` may rely on the input it
/// was last given by `forward`.
public protocol Layer: AnyObject {
    /// A short kind name: `dense`, `relu`, `batch_norm`, …
    var kind: String { get }
    var inputWidth: Int { get }
    var outputWidth: Int { get }
    /// Trainable tensors, in a fixed order.
    var parameters: [Parameter] { get }
    /// Non-trainable state (running statistics), kept apart from the parameters.
    var buffers: [StateBuffer] { get }

    /// Computes the output for `batch` rows of `input`. `training` selects batch statistics and dropout.
    func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float>

    /// Given ∂L/∂output for the last forward batch, writes ∂L/∂parameters into the parameters' gradients and
    /// returns ∂L/∂input when `needInputGradient` (nil otherwise).
    func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool) -> UnsafePointer<Float>?
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [StateBuffer] { [] }
}
