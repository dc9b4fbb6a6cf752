/// Canon's version, as `canon --version` prints it and reports carry it.
public enum CanonVersion {
    public static let current = "0.1.0"
}
