/* sa_jni.c - the JNI bridge of the Java binding (cn.libsa.*). Handles are jlong pointers;
 * every libsa error becomes a cn.libsa.SaException with code, source, line and column. */
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
	jstring msg, src = NULL;
	jthrowable ex;
	if (!cls)
		return;
	ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;II)V");
	msg = (*env)->NewStringUTF(env, e ? e->message : sa_strerror(rc));
	if (e && e->source)
		src = (*env)->NewStringUTF(env, e->source);
	ex = (jthrowable)(*env)->NewObject(env, cls, ctor, rc, msg, src, e ? e->line : 0, e ? e->column : 0);
	if (ex)
		(*env)->Throw(env, ex);
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

JNIEXPORT jlong JNICALL Java_cn_libsa_Engine_open(JNIEnv *env, jclass cls, jstring pack_path, jstring pack)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e = NULL;
	const char *path = chars(env, pack_path), *id = chars(env, pack);
	int rc;
	(void)cls;
	o.pack_path = path;
	rc = sa_engine_new(&e, &o);
	if (rc == 0 && (rc = sa_engine_load(e, id)) < 0) {
		sa_engine_free(e);
		e = NULL;
	}
	release(env, pack_path, path);
	release(env, pack, id);
	if (rc < 0) {
		throw_last(env, rc);
		return 0;
	}
	return (jlong)(intptr_t)e;
}

JNIEXPORT void JNICALL Java_cn_libsa_Engine_close0(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	sa_engine_free((sa_engine *)(intptr_t)h);
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Engine_packHash0(JNIEnv *env, jclass cls, jlong h)
{
	(void)cls;
	return (*env)->NewStringUTF(env, sa_engine_pack_hash((sa_engine *)(intptr_t)h));
}

JNIEXPORT jstring JNICALL Java_cn_libsa_Engine_evaluate0(JNIEnv *env, jclass cls, jlong eh, jlong hh, jstring date)
{
	const char *d = chars(env, date);
	sa_date as_of = 0;
	sa_decision *dec = NULL;
	char *json = NULL;
	jstring out = NULL;
	int rc = sa_date_parse(&as_of, d);
	(void)cls;
	release(env, date, d);
	if (rc == 0)
		rc = sa_evaluate(&dec, (sa_engine *)(intptr_t)eh, (const sa_household *)(intptr_t)hh, as_of);
	if (rc == 0)
		rc = sa_decision_to_json(&json, dec, 0);
	sa_decision_free(dec);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	out = (*env)->NewStringUTF(env, json);
	sa_free(json);
	return out;
}

JNIEXPORT jlongArray JNICALL Java_cn_libsa_Household_parse0(JNIEnv *env, jclass cls, jstring text, jstring name)
{
	const char *t = chars(env, text), *n = chars(env, name);
	sa_household **arr = NULL;
	size_t count = 0;
	jlongArray out;
	int rc = sa_household_parse(&arr, &count, t, strlen(t), n);
	(void)cls;
	release(env, text, t);
	release(env, name, n);
	if (rc < 0) {
		throw_last(env, rc);
		return NULL;
	}
	out = (*env)->NewLongArray(env, (jsize)count);
	for (size_t i = 0; out && i < count; i++) {
		jlong v = (jlong)(intptr_t)arr[i];
		(*env)->SetLongArrayRegion(env, out, (jsize)i, 1, &v);
	}
	free(arr); /* the households themselves now belong to Java objects */
	return out;
}

JNIEXPORT jlong JNICALL Java_cn_libsa_Household_new0(JNIEnv *env, jclass cls, jstring id, jstring region, jstring area)
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

JNIEXPORT void JNICALL Java_cn_libsa_Household_addMember0(JNIEnv *env, jclass cls, jlong h, jstring id, jstring rel,
                                                           jstring birth)
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

JNIEXPORT void JNICALL Java_cn_libsa_Household_set0(JNIEnv *env, jclass cls, jlong h, jstring path, jstring value)
{
	const char *p = chars(env, path), *v = chars(env, value);
	int rc = sa_household_set((sa_household *)(intptr_t)h, p, v);
	(void)cls;
	release(env, path, p);
	release(env, value, v);
	if (rc < 0)
		throw_last(env, rc);
}

JNIEXPORT void JNICALL Java_cn_libsa_Household_free0(JNIEnv *env, jclass cls, jlong h)
{
	(void)env;
	(void)cls;
	sa_household_free((sa_household *)(intptr_t)h);
}
