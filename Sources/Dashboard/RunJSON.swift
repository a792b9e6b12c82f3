import Foundation
import Store

/// A run as `/api/runs/ID` answers it.
enum RunJSON {
    static func detail(_ detail: RunDetail) -> JSONValue {
        let run = detail.run
        let record: JSONValue = .object([
            ("id", .integer(run.id)), ("name", .string(run.name)), ("status", .string(run.status.rawValue)),
            ("sweep_id", .optional(run.sweepID)), ("trial_index", .optional(run.trialIndex)),
            ("seed", .string(String(run.seed))), ("model", .string(run.model)), ("dataset", .string(run.dataset)),
            ("steps_per_epoch", .optional(run.stepsPerEpoch)), ("epochs_completed", .optional(run.epochsCompleted)),
            ("steps_completed", .optional(run.stepsCompleted)), ("created_at", .number(run.createdAt)),
            ("started_at", .optional(run.startedAt)), ("ended_at", .optional(run.endedAt)),
            ("duration", .optional(run.duration)), ("stop_reason", .optional(run.stopReason)), ("error", .optional(run.error)),
            ("test_loss", .optional(run.testLoss)), ("test_accuracy", .optional(run.testAccuracy)),
        ])
        return .object([
            ("run", record),
            ("configuration", .object(detail.parameters.map { ($0.key, JSONValue.parameter($0.key, $0.value)) })),
            ("epochs", .array(detail.epochs.map(epoch))),
            ("test", detail.test.map(evaluation) ?? .null),
        ])
    }

    static func epoch(_ epoch: EpochRecord) -> JSONValue {
        .object([
            ("epoch", .integer(Int64(epoch.epoch))), ("step", .integer(Int64(epoch.step))),
            ("train_loss", .optional(epoch.trainLoss)), ("train_accuracy", .optional(epoch.trainAccuracy)),
            ("validation_loss", .optional(epoch.validationLoss)), ("validation_accuracy", .optional(epoch.validationAccuracy)),
            ("learning_rate", .number(epoch.learningRate)), ("seconds", .number(epoch.seconds)),
            ("samples_per_second", .number(epoch.samplesPerSecond)),
        ])
    }

    static func evaluation(_ test: EvaluationRecord) -> JSONValue {
        .object([
            ("split", .string(test.split)), ("epoch", .integer(Int64(test.epoch))),
            ("sample_count", .integer(Int64(test.sampleCount))), ("loss", .optional(test.loss)),
            ("accuracy", .optional(test.accuracy)),
            ("confusion", test.confusion.map { .array($0.map { .array($0.map { .integer(Int64($0)) }) }) } ?? .null),
            ("mean_squared_error", .optional(test.meanSquaredError)),
            ("mean_absolute_error", .optional(test.meanAbsoluteError)), ("r_squared", .optional(test.rSquared)),
        ])
    }
}
