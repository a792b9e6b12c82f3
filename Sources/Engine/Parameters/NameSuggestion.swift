/// Levenshtein distance and "did you mean" suggestions for unknown names.
public enum NameSuggestion {
    /// Number of single-character insertions, deletions and substitutions that turn `a` into `b`.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let left = Array(a), right = Array(b)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    /// The candidate nearest to `name` (ties: the first in `candidates`), when it is close enough to be a likely typo:
    /// distance ≤ max(2, a third of the name's length). A name that starts the candidate (`test_acc`) also matches.
    public static func nearest(to name: String, in candidates: [String]) -> String? {
        if name.count >= 3, let completion = candidates.first(where: { $0.lowercased().hasPrefix(name.lowercased()) }) {
            return completion
        }
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(name.lowercased(), candidate.lowercased())
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best, distance <= max(2, name.count / 3) else { return nil }
        return candidate
    }

    /// ` (did you mean 'parameters'?)` or, with no close candidate, ` (valid: a, b, c)`.
    public static func hint(for name: String, in candidates: [String]) -> String {
        if let nearest = nearest(to: name, in: candidates) { return " (did you mean '\(nearest)'?)" }
        return " (valid: \(candidates.joined(separator: ", ")))"
    }
}
