package cn.libsa;

/**
 * A libsa error: the sa_error_code ({@link #code}) and, where there is one, the position in
 * the input ({@link #file}, 1-based {@link #line} and {@link #column}; 0 when not applicable).
 * {@link #getMessage()} is English; {@link #getMessageZh()} is the same message in zh-CN from
 * libsa's catalog (sa_message_zh), the English when the catalog has no entry.
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
    private final String detailZh;

    public SaException(int code, String message, String source, int line, int column) {
        this(code, message, source, line, column, message);
    }

    public SaException(int code, String message, String source, int line, int column, String messageZh) {
        super(where(source, line, column) + message);
        this.code = code;
        this.source = source;
        this.line = line;
        this.column = column;
        this.detail = message;
        this.detailZh = messageZh != null ? messageZh : message;
    }

    private static String where(String source, int line, int column) {
        return source != null ? source + (line > 0 ? ":" + line + ":" + column : "") + ": " : "";
    }

    public int code() { return code; }
    public String file() { return source; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position. */
    public String detail() { return detail; }
    /** The message in zh-CN, without the position. */
    public String detailZh() { return detailZh; }
    /** The message in zh-CN with the position, as {@link #getMessage()} is in English. */
    public String getMessageZh() { return where(source, line, column) + detailZh; }

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
