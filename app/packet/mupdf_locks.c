//go:build cgo && !nocgo

// One lock shared by every MuPDF context of the process. The contexts are independent (one document
// each, never cloned), so they need no locks for their own store, objects or glyphs. But MuPDF keeps
// one thing global: the context OpenJPEG allocates with while it decodes a JPEG 2000 image, which it
// guards with FZ_LOCK_FREETYPE ("It is therefore vital that any fz_lock/fz_unlock handlers are shared
// between all the fz_contexts in use at a time", source/fitz/load-jpx.c). Without it, two threads
// drawing JPEG 2000 pages at once crash: a thumbnail drawn in bands, the duplicate check of text
// twins on every core.
#include <stddef.h>
#include "mupdf_locks.h"

#ifdef _WIN32
#include <windows.h>
static SRWLOCK freetype = SRWLOCK_INIT;
#define ACQUIRE() AcquireSRWLockExclusive(&freetype)
#define RELEASE() ReleaseSRWLockExclusive(&freetype)
#else
#include <pthread.h>
static pthread_mutex_t freetype = PTHREAD_MUTEX_INITIALIZER;
#define ACQUIRE() pthread_mutex_lock(&freetype)
#define RELEASE() pthread_mutex_unlock(&freetype)
#endif

static void lock(void *user, int i)
{
	(void)user;
	if (i == MU_LOCK_FREETYPE)
		ACQUIRE();
}

static void unlock(void *user, int i)
{
	(void)user;
	if (i == MU_LOCK_FREETYPE)
		RELEASE();
}

static const mu_locks_context locks = { NULL, lock, unlock };

const mu_locks_context *mu_shared_locks(void)
{
	return &locks;
}
