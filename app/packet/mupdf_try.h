// MuPDF's exception macros (fz_try/fz_always/fz_catch), for the cgo preambles of this package that
// call MuPDF directly (render_cgo.go, stamptext_cgo.go, pagetext_cgo.go). go-fitz links MuPDF but does
// not export its headers, so the declarations are repeated here, as in MuPDF 1.24.9
// (include/mupdf/fitz/context.h): sigsetjmp where MuPDF uses it (HAVE_SIGSETJMP), else setjmp.
#ifndef REFERRALDESK_MUPDF_TRY_H
#define REFERRALDESK_MUPDF_TRY_H

#include <setjmp.h>

typedef struct fz_context fz_context;

#if !defined(__STRICT_ANSI__) && (defined(__APPLE__) || (defined(__unix) && !defined(__EMSCRIPTEN__)))
typedef sigjmp_buf mu_jmp_buf;
#define mu_setjmp(b) sigsetjmp(b, 0)
#else
typedef jmp_buf mu_jmp_buf;
#define mu_setjmp(b) setjmp(b)
#endif

mu_jmp_buf *fz_push_try(fz_context *ctx);
int fz_do_try(fz_context *ctx);
int fz_do_always(fz_context *ctx);
int fz_do_catch(fz_context *ctx);

#define mu_try(ctx) if (!mu_setjmp(*fz_push_try(ctx))) if (fz_do_try(ctx)) do
#define mu_always(ctx) while (0); if (fz_do_always(ctx)) do
#define mu_catch(ctx) while (0); if (fz_do_catch(ctx))

#endif
