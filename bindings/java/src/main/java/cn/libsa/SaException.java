package cn.libsa;

/** A libsa error: the sa_error_code and, where there is one, the source position. */
public final class SaException extends RuntimeException {
    public final int code;
    public final String source;
    public final int line;
    public final int column;

    public SaException(int code, String message, String source, int line, int column) {
        super((source != null ? source + (line > 0 ? ":" + line + ":" + column : "") + ": " : "") + message);
        this.code = code;
        this.source = source;
        this.line = line;
        this.column = column;
    }
}
