// Reduced-resolution JPEG 2000 decoding for thumbnails and the blank and duplicate checks: see
// jpxreduce.c.
#ifndef REFERRALDESK_JPXREDUCE_H
#define REFERRALDESK_JPXREDUCE_H

// rdj_set_need tells the JPEG 2000 decodes that run next on this thread how many pixels the longer
// side of an image needs at most (0: decode every image whole).
void rdj_set_need(int px);

// rdj_reduced_failed says whether a reduced decode on this thread failed since rdj_set_need (MuPDF
// then leaves the image out of the page): the page is to be drawn again with need 0.
int rdj_reduced_failed(void);

// rdj_reduced_count is how many JPEG 2000 images were decoded at a reduced resolution so far.
long rdj_reduced_count(void);

// rdj_levels_count is how many resolution levels those decodes dropped, in all.
long rdj_levels_count(void);

// rdj_test_fail_reduced makes every reduced decode fail while on (tests of the fallback).
void rdj_test_fail_reduced(int on);

#endif
