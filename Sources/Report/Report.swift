// The Report module; see the files beside this one.
