/* sa_jni.c - the JNI bridge of the Java binding (cn.libsa.*). Handles are jlong pointers;
 * every libsa error becomes a cn.libsa.SaException with code, source, line and column, and its
 * message in English and in zh-CN (sa_message_zh).
 *
 * Threads: the bridge keeps no state of its own. A native engine (sa_engine) owns a Lua state
 * whose error handling longjmps to a jmp_buf on the stack of the thread that entered it; two
 * Java threads in one engine at once is the "longjmp causes uninitialized stack frame" crash.
 * cn.libsa.Engine therefore lends each native engine to one thread at a time (a pool), and
 * every native engine follows one sa_pack_set, which is thread-safe (docs/threading.md). */
#include <jni.h>
#include <sa.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void throw_last(JNIEnv *env, int rc)
{
	const sa_error *e = sa_error_last();
	jclass cls = (*env)->FindClass(env, "cn/libsa/SaException");
	jmethodID ctor;
	jstring msg, zh, src = NULL;
	jthrowable ex;
	const char *en = e && e->message ? e->message : sa_strerror(rc);
	char zbuf[8192];
	if (!cls)
		return;
	ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;IILjava/lang/String;)V");
	if (!ctor)
		return;
	/* the zh-CN text from libsa's catalog; the English itself when there is no entry */
	sa_message_zh(zbuf, sizeof zbuf, en);
	msg = (*env)->NewStringUTF(env, en);
	zh = (*env)->NewStringUTF(env, zbuf);
	if (e && e->source)
		src = (*env)->NewStringUTF(env, e->source);
	ex = (jthrowable)(*env)->NewObject(env, cls, ctor, rc, msg, src, e ? e->line : 0, e ? e->column : 0, zh);
	if (ex)
		(*env)->Throw(env, ex);
}

static void throw_invalid(JNIEnv *env, const char *what)
{
	jclass cls = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
	if (cls)
		(*env)->ThrowNew(env, cls, what);
}

static const char *chars(JNIEnv *env, jstring s)
{
	return s ? (*env)->GetStringUTFChars(env, s, NULL) : NULL;
}

static void release(JNIEnv *env, jstring s, const char *c)
{
	if (s && c)
		(*env)->ReleaseStringUTFChars(env, s, c);
}

/* Take ownership of a libsa string: a Java String, then sa_free. */
static jstring take_string(JNIEnv *env, char *s)
{
	jstring out = s ? (*env)->NewStringUTF(env, s) : NULL;
	sa_free(s);
	return out;
}

static void options(sa_engine_options *o, const char *path, jlong memory, jlong instructions, jlong output,
                    jint time_ms)
{
	sa_engine_options_init(o, SA_ENGINE_OPTIONS_VERSION);
	o->pack_path = path;
	o->memory_limit = (size_t)memory;
	o->instruction_limit = (uint64_t)instructions;
	o->output_limit = (size_t)output;
	o->time_limit_ms = (uint32_t)time_ms;
}

/* ---- pack set: the published version every pooled engine follows ---- */

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_setNew(JNIEnv *env, jclass cls, jstring pack_path, jlong memory,
                                                    jlong instructions, jlong output, jint time_ms)
{
	sa_engine_options o;
	sa_pack_set *set = NULL;
	const char *path = chars(env, pack_path);
	int rc;
	(void)cls;
	options(&o, path, memory, instructions, output, time_ms);
	rc = sa_pack_set_new(&set, &o);
	release(env, pack_path, path);
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)set;
}

/* Publish pack; returns the golden cases passed (or -1 when tests were skipped). */
JNIEXPORT jint JNICALL Java_cn_libsa_Native_setPublish(JNIEnv *env, jclass cls, jlong set, jstring pack,
                                                       jboolean skip_tests)
{
	const char *id = chars(env, pack);
	sa_test_counts counts = { 0, 0 };
	int rc;
	(void)cls;
	if (!id) {
		throw_invalid(env, "pack is null");
		return 0;
	}
	rc = sa_pack_set_publish(&counts, (sa_pack_set *)(intptr_t)set, id, skip_tests ? SA_PUBLISH_SKIP_TESTS : 0);
	release(env, pack, id);
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return skip_tests ? -1 : (jint)counts.passed;
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_setHash(JNIEnv *env, jclass cls, jlong set)
{
	char hash[65];
	int rc = sa_pack_set_hash(hash, (sa_pack_set *)(intptr_t)set);
	(void)cls;
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	return (*env)->NewStringUTF(env, hash);
}

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_setGeneration(JNIEnv *env, jclass cls, jlong set)
{
	(void)env;
	(void)cls;
	return (jlong)sa_pack_set_generation((sa_pack_set *)(intptr_t)set);
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_setFree(JNIEnv *env, jclass cls, jlong set)
{
	(void)env;
	(void)cls;
	sa_pack_set_free((sa_pack_set *)(intptr_t)set);
}

/* ---- engines: each used by one thread at a time ---- */

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_engineNew(JNIEnv *env, jclass cls, jlong set, jstring pack_path,
                                                       jlong memory, jlong instructions, jlong output, jint time_ms)
{
	sa_engine_options o;
	sa_engine *e = NULL;
	const char *path = chars(env, pack_path);
	int rc;
	(void)cls;
	options(&o, path, memory, instructions, output, time_ms);
	rc = sa_engine_new(&e, &o);
	release(env, pack_path, path);
	if (rc == 0 && (rc = sa_engine_follow(e, (sa_pack_set *)(intptr_t)set)) < 0) {
		sa_engine_free(e);
		e = NULL;
	}
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)e;
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_engineFree(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	sa_engine_free((sa_engine *)(intptr_t)h);
}

static int parse_date(JNIEnv *env, jstring date, sa_date *out)
{
	const char *d = chars(env, date);
	int rc;
	if (!d) {
		throw_invalid(env, "date is null");
		return -1;
	}
	rc = sa_date_parse(out, d);
	release(env, date, d);
	if (rc < 0)
		throw_last(env, rc);
	return rc;
}

/* Evaluate one household (hh) and return the decision as JSON (flags: SA_JSON_*). */
JNIEXPORT jstring JNICALL Java_cn_libsa_Native_evaluate(JNIEnv *env, jclass cls, jlong eh, jlong hh, jstring date,
                                                        jint json_flags)
{
	sa_date as_of = 0;
	sa_decision *dec = NULL;
	char *json = NULL;
	int rc;
	(void)cls;
	if (parse_date(env, date, &as_of) < 0)
		return NULL;
	rc = sa_evaluate(&dec, (sa_engine *)(intptr_t)eh, (const sa_household *)(intptr_t)hh, as_of);
	if (rc == 0)
		rc = sa_decision_to_json(&json, dec, (unsigned)json_flags);
	sa_decision_free(dec);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	return take_string(env, json);
}

/* Parse text holding one household (a bare object, or a `household:` map) and evaluate it. */
JNIEXPORT jstring JNICALL Java_cn_libsa_Native_evaluateText(JNIEnv *env, jclass cls, jlong eh, jstring text,
                                                            jstring name, jstring date, jint json_flags)
{
	sa_household **arr = NULL;
	size_t count = 0;
	const char *t, *n;
	jstring out;
	int rc;
	if (!text) {
		throw_invalid(env, "household text is null");
		return NULL;
	}
	t = chars(env, text);
	n = chars(env, name);
	rc = sa_household_parse(&arr, &count, t, strlen(t), n ? n : "household");
	release(env, text, t);
	release(env, name, n);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	if (count != 1) {
		sa_household_array_free(arr, count);
		throw_invalid(env, "the text must hold exactly one household");
		return NULL;
	}
	out = Java_cn_libsa_Native_evaluate(env, cls, eh, (jlong)(intptr_t)arr[0], date, json_flags);
	sa_household_array_free(arr, count);
	return out;
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_enginePackHash(JNIEnv *env, jclass cls, jlong h)
{
	const char *s = sa_engine_pack_hash((sa_engine *)(intptr_t)h);
	(void)cls;
	return s ? (*env)->NewStringUTF(env, s) : NULL;
}

/* ---- households ---- */

JNIEXPORT jlongArray JNICALL Java_cn_libsa_Native_householdParse(JNIEnv *env, jclass cls, jstring text, jstring name)
{
	const char *t, *n;
	sa_household **arr = NULL;
	size_t count = 0;
	jlongArray out;
	int rc;
	(void)cls;
	if (!text) {
		throw_invalid(env, "text is null");
		return NULL;
	}
	t = chars(env, text);
	n = chars(env, name);
	rc = sa_household_parse(&arr, &count, t, strlen(t), n ? n : "<text>");
	release(env, text, t);
	release(env, name, n);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	out = (*env)->NewLongArray(env, (jsize)count);
	if (!out) { /* OutOfMemoryError is pending */
		sa_household_array_free(arr, count);
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		jlong v = (jlong)(intptr_t)arr[i];
		(*env)->SetLongArrayRegion(env, out, (jsize)i, 1, &v);
	}
	free(arr); /* the households themselves now belong to Java objects */
	return out;
}

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_householdNew(JNIEnv *env, jclass cls, jstring id, jstring region,
                                                          jstring area)
{
	const char *i = chars(env, id), *r = chars(env, region), *a = chars(env, area);
	sa_household *hh = NULL;
	int rc = sa_household_new(&hh, i, r, a);
	(void)cls;
	release(env, id, i);
	release(env, region, r);
	release(env, area, a);
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)hh;
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_householdAddMember(JNIEnv *env, jclass cls, jlong h, jstring id,
                                                               jstring rel, jstring birth)
{
	const char *i = chars(env, id), *r = chars(env, rel), *b = chars(env, birth);
	int rc = sa_household_add_member(NULL, (sa_household *)(intptr_t)h, i, r, b);
	(void)cls;
	release(env, id, i);
	release(env, rel, r);
	release(env, birth, b);
	if (rc < 0)
		throw_last(env, rc);
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_householdSet(JNIEnv *env, jclass cls, jlong h, jstring path,
                                                         jstring value)
{
	const char *p = chars(env, path), *v = chars(env, value);
	int rc = sa_household_set((sa_household *)(intptr_t)h, p, v);
	(void)cls;
	release(env, path, p);
	release(env, value, v);
	if (rc < 0)
		throw_last(env, rc);
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_householdId(JNIEnv *env, jclass cls, jlong h)
{
	const char *s = sa_household_id((sa_household *)(intptr_t)h);
	(void)cls;
	return s ? (*env)->NewStringUTF(env, s) : NULL;
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_householdFree(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	sa_household_free((sa_household *)(intptr_t)h);
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_version(JNIEnv *env, jclass cls)
{
	(void)cls;
	return (*env)->NewStringUTF(env, sa_version());
}

/* ---- audit (include/sa/audit.h): explain, what-if, the decision log ---- */

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_explain(JNIEnv *env, jclass cls, jlong eh, jlong hh, jstring date,
                                                       jint format, jint lang)
{
	sa_explain_options o;
	sa_date as_of = 0;
	char *out = NULL;
	int rc;
	(void)cls;
	if (parse_date(env, date, &as_of) < 0)
		return NULL;
	sa_explain_options_init(&o, SA_EXPLAIN_OPTIONS_VERSION);
	o.format = (sa_explain_format)format;
	o.lang = (sa_lang)lang;
	rc = sa_explain(&out, (sa_engine *)(intptr_t)eh, (const sa_household *)(intptr_t)hh, as_of, &o);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	return take_string(env, out);
}

/* The strings of a String[] as UTF-8, each released with release_strings. */
static const char **get_strings(JNIEnv *env, jobjectArray arr, jsize *n)
{
	const char **s;
	*n = arr ? (*env)->GetArrayLength(env, arr) : 0;
	if (!(s = calloc((size_t)*n + 1, sizeof *s)))
		return NULL;
	for (jsize i = 0; i < *n; i++) {
		jstring js = (jstring)(*env)->GetObjectArrayElement(env, arr, i);
		s[i] = js ? (*env)->GetStringUTFChars(env, js, NULL) : "";
		(*env)->DeleteLocalRef(env, js);
	}
	return s;
}

static void release_strings(JNIEnv *env, jobjectArray arr, const char **s, jsize n)
{
	for (jsize i = 0; s && i < n; i++) {
		jstring js = (jstring)(*env)->GetObjectArrayElement(env, arr, i);
		if (js)
			(*env)->ReleaseStringUTFChars(env, js, s[i]);
		(*env)->DeleteLocalRef(env, js);
	}
	free(s);
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_whatif(JNIEnv *env, jclass cls, jlong eh, jlong hh, jstring date,
                                                      jobjectArray sets)
{
	sa_date as_of = 0;
	char *out = NULL;
	jsize n;
	const char **s;
	int rc;
	(void)cls;
	if (parse_date(env, date, &as_of) < 0)
		return NULL;
	if (!(s = get_strings(env, sets, &n))) {
		throw_invalid(env, "out of memory");
		return NULL;
	}
	rc = sa_whatif(&out, (sa_engine *)(intptr_t)eh, (const sa_household *)(intptr_t)hh, as_of, s, (size_t)n,
	               SA_WHATIF_JSON);
	release_strings(env, sets, s, n);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	return take_string(env, out);
}

/* A native decision, for the caller to log, turn into JSON and free on the same thread. */
JNIEXPORT jlong JNICALL Java_cn_libsa_Native_decide(JNIEnv *env, jclass cls, jlong eh, jlong hh, jstring date)
{
	sa_date as_of = 0;
	sa_decision *d = NULL;
	int rc;
	(void)cls;
	if (parse_date(env, date, &as_of) < 0)
		return 0;
	if ((rc = sa_evaluate(&d, (sa_engine *)(intptr_t)eh, (const sa_household *)(intptr_t)hh, as_of)) < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)d;
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Native_decisionJson(JNIEnv *env, jclass cls, jlong dh, jint flags)
{
	char *json = NULL;
	int rc = sa_decision_to_json(&json, (const sa_decision *)(intptr_t)dh, (unsigned)flags);
	(void)cls;
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	return take_string(env, json);
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_decisionFree(JNIEnv *env, jclass cls, jlong dh)
{
	(void)env;
	(void)cls;
	sa_decision_free((sa_decision *)(intptr_t)dh);
}

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_logOpen(JNIEnv *env, jclass cls, jstring path, jstring hmac_key,
                                                     jint fsync, jint fsync_n, jlong rotate_bytes)
{
	sa_log_options o;
	sa_log *log = NULL;
	const char *p = chars(env, path), *k = chars(env, hmac_key);
	int rc;
	(void)cls;
	sa_log_options_init(&o, SA_LOG_OPTIONS_VERSION);
	o.hmac_key_file = k;
	o.fsync = (sa_fsync_policy)fsync;
	o.fsync_n = (unsigned)fsync_n;
	o.rotate_bytes = (uint64_t)rotate_bytes;
	rc = p ? sa_log_open(&log, p, &o) : SA_EINVALID;
	release(env, path, p);
	release(env, hmac_key, k);
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)log;
}

JNIEXPORT jlong JNICALL Java_cn_libsa_Native_logAppend(JNIEnv *env, jclass cls, jlong lh, jlong hh, jlong dh)
{
	uint64_t seq = 0;
	int rc = sa_log_append(&seq, (sa_log *)(intptr_t)lh, (const sa_household *)(intptr_t)hh,
	                       (const sa_decision *)(intptr_t)dh);
	(void)cls;
	if (rc < 0) {
		throw_last(env, rc);
		return -1;
	}
	return (jlong)seq;
}

JNIEXPORT void JNICALL Java_cn_libsa_Native_logClose(JNIEnv *env, jclass cls, jlong lh)
{
	int rc = sa_log_close((sa_log *)(intptr_t)lh);
	(void)cls;
	if (rc < 0)
		throw_last(env, rc);
}

/* counts[0..3] = return code, records, bad line, truncated; returns the report. */
JNIEXPORT jstring JNICALL Java_cn_libsa_Native_logVerify(JNIEnv *env, jclass cls, jobjectArray paths,
                                                         jstring hmac_key, jlongArray counts)
{
	sa_log_report r = { 0, 0, 0 };
	char *report = NULL;
	jsize n;
	const char **p;
	const char *k;
	jlong c[4];
	int rc;
	(void)cls;
	if (!(p = get_strings(env, paths, &n))) {
		throw_invalid(env, "out of memory");
		return NULL;
	}
	k = chars(env, hmac_key);
	rc = sa_log_verify(&report, &r, p, (size_t)n, k);
	release(env, hmac_key, k);
	release_strings(env, paths, p, n);
	if (rc < 0 && rc != SA_EINVALID) {
		sa_free(report);
		throw_last(env, rc);
		return NULL;
	}
	c[0] = rc;
	c[1] = (jlong)r.records;
	c[2] = (jlong)r.bad_line;
	c[3] = r.truncated;
	(*env)->SetLongArrayRegion(env, counts, 0, 4, c);
	return take_string(env, report);
}
