// MuPDF's locks for the contexts this package makes (render_cgo.go's rr_new_context): see
// mupdf_locks.c. fz_locks_context as in MuPDF 1.24.9 (include/mupdf/fitz/context.h).
#ifndef REFERRALDESK_MUPDF_LOCKS_H
#define REFERRALDESK_MUPDF_LOCKS_H

typedef struct
{
	void *user;
	void (*lock)(void *user, int lock);
	void (*unlock)(void *user, int lock);
} mu_locks_context;

// FZ_LOCK_FREETYPE in MuPDF 1.24.9 (FZ_LOCK_ALLOC is 0, FZ_LOCK_GLYPHCACHE 2).
#define MU_LOCK_FREETYPE 1

const mu_locks_context *mu_shared_locks(void);

#endif
