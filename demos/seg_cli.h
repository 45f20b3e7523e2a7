/* seg_cli.h - the segmentation demo's command line: options (long and short spellings) with range checks, and
 * where the default model comes from ($OCLNN_MODEL, the user cache scripts/get-model.sh fills, the checkout's
 * ../shared/models copy).
 */
#ifndef SEG_CLI_H
#define SEG_CLI_H

#include <stddef.h>

#include "seg_image.h"

#define SEG_MODEL_FILE "ch_PP-OCRv4_det_infer.onnx"

typedef struct seg_args {
    const char *model;  /**< NULL: the default model */
    const char *device; /**< NULL: $OCLNN_DEVICE or the library's default */
    int mode;           /**< 0 auto (by the output's channels), 1 binary, 2 classes */
    float threshold, box_threshold, unclip;
    int max_side;
    int runs; /**< steady-state runs whose median is printed */
    const char *image, *out_prefix;
    int help;
} seg_args;

/** Parses argv. Returns 0 (args->help set for -h/--help), or -1 with a one-line message. */
int seg_parse_args(int argc, char **argv, seg_args *args, char *err, size_t errlen);

/** The usage text. */
extern const char seg_usage[];

/**
 * The default model's path: @p env_model when set and non-empty (it must exist), else @p models_dir (or, when NULL,
 * @p home/.cache/oclnn/models)/ch_PP-OCRv4_det_infer.onnx when it exists, else @p source_dir/../shared/models/...
 * when it exists. Returns 0, or -1 with a message naming every place looked at.
 */
int seg_default_model(const char *env_model, const char *models_dir, const char *home, const char *source_dir,
                      char *path, size_t pathlen, char *err, size_t errlen);

#endif
