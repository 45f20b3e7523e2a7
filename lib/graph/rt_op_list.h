/* rt_op_list.h - the registry of graph ops the runtime executes: one X(op_type, vtable symbol) line per ONNX op
 * type of the default domain. The vtables live in lib/graph/rt_<family>.c.
 */
#ifndef OCLNN_GRAPH_RT_OP_LIST_H
#define OCLNN_GRAPH_RT_OP_LIST_H

#define OCLNN_RT_OP_LIST(X)                                                                                            \
    X("Conv", oclnn_rt_op_conv)                                                                                        \
    X("ConvTranspose", oclnn_rt_op_conv_transpose)                                                                     \
    X("MaxPool", oclnn_rt_op_maxpool)                                                                                  \
    X("AveragePool", oclnn_rt_op_avgpool)                                                                              \
    X("LpPool", oclnn_rt_op_lppool)                                                                                    \
    X("GlobalAveragePool", oclnn_rt_op_global_avgpool)                                                                 \
    X("GlobalMaxPool", oclnn_rt_op_global_maxpool)                                                                     \
    X("BatchNormalization", oclnn_rt_op_batchnorm)                                                                     \
    X("LRN", oclnn_rt_op_lrn)                                                                                          \
    X("Relu", oclnn_rt_op_relu)                                                                                        \
    X("LeakyRelu", oclnn_rt_op_leaky_relu)                                                                             \
    X("PRelu", oclnn_rt_op_prelu)                                                                                      \
    X("Sigmoid", oclnn_rt_op_sigmoid)                                                                                  \
    X("Tanh", oclnn_rt_op_tanh)                                                                                        \
    X("Clip", oclnn_rt_op_clip)                                                                                        \
    X("HardSigmoid", oclnn_rt_op_hard_sigmoid)                                                                         \
    X("HardSwish", oclnn_rt_op_hard_swish)                                                                             \
    X("Softmax", oclnn_rt_op_softmax)                                                                                  \
    X("LogSoftmax", oclnn_rt_op_log_softmax)                                                                           \
    X("Add", oclnn_rt_op_add)                                                                                          \
    X("Sub", oclnn_rt_op_sub)                                                                                          \
    X("Mul", oclnn_rt_op_mul)                                                                                          \
    X("Div", oclnn_rt_op_div)                                                                                          \
    X("Max", oclnn_rt_op_max)                                                                                          \
    X("Min", oclnn_rt_op_min)                                                                                          \
    X("Sum", oclnn_rt_op_sum)                                                                                          \
    X("Gemm", oclnn_rt_op_gemm)                                                                                        \
    X("MatMul", oclnn_rt_op_matmul)                                                                                    \
    X("Concat", oclnn_rt_op_concat)                                                                                    \
    X("Split", oclnn_rt_op_split)                                                                                      \
    X("Slice", oclnn_rt_op_slice)                                                                                      \
    X("Pad", oclnn_rt_op_pad)                                                                                          \
    X("Transpose", oclnn_rt_op_transpose)                                                                              \
    X("Flatten", oclnn_rt_op_flatten)                                                                                  \
    X("Reshape", oclnn_rt_op_reshape)                                                                                  \
    X("Squeeze", oclnn_rt_op_squeeze)                                                                                  \
    X("Unsqueeze", oclnn_rt_op_unsqueeze)                                                                              \
    X("Identity", oclnn_rt_op_identity)                                                                                \
    X("Dropout", oclnn_rt_op_dropout)                                                                                  \
    X("Resize", oclnn_rt_op_resize)                                                                                    \
    X("Upsample", oclnn_rt_op_upsample)                                                                                \
    X("ArgMax", oclnn_rt_op_argmax)

#define OCLNN_X_(name, sym) extern const oclnn_rt_op sym;
OCLNN_RT_OP_LIST(OCLNN_X_)
#undef OCLNN_X_

#endif
