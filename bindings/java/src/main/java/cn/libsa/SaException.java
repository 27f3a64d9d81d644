package cn.libsa;

/**
 * A libsa error: the sa_error_code ({@link #code}) and, where there is one, the position in
 * the input ({@link #file}, 1-based {@link #line} and {@link #column}; 0 when not applicable).
 */
public final class SaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR = -1, ENOTFOUND = -3, EINVALID = -4, EPOLICY = -5, ELIMIT = -6, ENOMEM = -7;

    public final int code;
    /** The file (or pack/rule name) the error is in, or null. */
    public final String source;
    public final int line;
    public final int column;
    private final String detail;

    public SaException(int code, String message, String source, int line, int column) {
        super((source != null ? source + (line > 0 ? ":" + line + ":" + column : "") + ": " : "") + message);
        this.code = code;
        this.source = source;
        this.line = line;
        this.column = column;
        this.detail = message;
    }

    public int code() { return code; }
    public String file() { return source; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position. */
    public String detail() { return detail; }

    /** The code's name: "ENOTFOUND", "EINVALID", "EPOLICY", "ELIMIT", "ENOMEM" or "ERROR". */
    public String codeName() {
        switch (code) {
            case ENOTFOUND: return "ENOTFOUND";
            case EINVALID: return "EINVALID";
            case EPOLICY: return "EPOLICY";
            case ELIMIT: return "ELIMIT";
            case ENOMEM: return "ENOMEM";
            default: return "ERROR";
        }
    }
}
