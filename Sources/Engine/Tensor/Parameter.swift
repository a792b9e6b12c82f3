/// A trainable tensor and its gradient, in stable storage owned by this object (no copy-on-write in the hot loop).
///
/// Gradients are overwritten (not accumulated) by each backward pass.
public final class Parameter {
    /// Local name within its layer: `weight`, `bias`, `gamma`, `beta`.
    public let name: String
    public let shape: [Int]
    public let count: Int
    public let value: UnsafeMutablePointer<Float>
    public let gradient: UnsafeMutablePointer<Float>

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        count = shape.reduce(1, *)
        value = .allocate(capacity: max(count, 1))
        value.initialize(repeating: 0, count: max(count, 1))
        gradient = .allocate(capacity: max(count, 1))
        gradient.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
    }

    public var values: [Float] {
        get { Array(UnsafeBufferPointer(start: value, count: count)) }
        set {
            precondition(newValue.count == count)
            newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }

    public var gradients: [Float] { Array(UnsafeBufferPointer(start: gradient, count: count)) }
}

/// A non-trainable tensor that is part of the model's state (batch-norm running statistics).
public final class StateBuffer {
    public let name: String
    public let shape: [Int]
    public let count: Int
    public let value: UnsafeMutablePointer<Float>

    public init(name: String, shape: [Int], initialValue: Float) {
        self.name = name
        self.shape = shape
        count = shape.reduce(1, *)
        value = .allocate(capacity: max(count, 1))
        value.initialize(repeating: initialValue, count: max(count, 1))
    }

    deinit { value.deallocate() }

    public var values: [Float] {
        get { Array(UnsafeBufferPointer(start: value, count: count)) }
        set {
            precondition(newValue.count == count)
            newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }
}

/// Growable scratch storage for activations and gradients: reallocated only when a larger batch arrives, so a
/// training step allocates nothing.
final class Workspace {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        capacity = 0
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }

    @inline(__always)
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            capacity = count
        }
        return pointer
    }
}
