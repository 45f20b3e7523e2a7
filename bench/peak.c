/* peak.c - practical fp32 FMA peak of this CPU, for "% of peak" figures. Unlike ../shared/bench/peak.c it checks
 * for AVX-512 at run time (the machines of this project differ: some have only AVX2), and prints the peak of the
 * widest FMA the CPU has, on 1 thread and on all threads (median of 7 trials).
 * Build: cc -O2 -fopenmp bench/peak.c -o /tmp/peak
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 20000000L

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* 12 independent accumulators cover FMA latency (4-5 cycles) x 2 ports; the compiler keeps them in registers. */
#define CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

__attribute__((target("avx2,fma"))) static float loop256(long n, float seed) {
    __m256 a = _mm256_set1_ps(1.0f + 1e-7f * seed), b = _mm256_set1_ps(1e-7f), s = _mm256_setzero_ps();
#define D(i) __m256 c##i = _mm256_set1_ps((float)(i) + seed);
#define F(i) c##i = _mm256_fmadd_ps(c##i, a, b);
#define S(i) s = _mm256_add_ps(s, c##i);
    CHAINS(D)
    for (long k = 0; k < n; k++) { CHAINS(F) }
    CHAINS(S)
#undef D
#undef F
#undef S
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0] + out[7];
}

__attribute__((target("avx512f"))) static float loop512(long n, float seed) {
    __m512 a = _mm512_set1_ps(1.0f + 1e-7f * seed), b = _mm512_set1_ps(1e-7f), s = _mm512_setzero_ps();
#define D(i) __m512 c##i = _mm512_set1_ps((float)(i) + seed);
#define F(i) c##i = _mm512_fmadd_ps(c##i, a, b);
#define S(i) s = _mm512_add_ps(s, c##i);
    CHAINS(D)
    for (long k = 0; k < n; k++) { CHAINS(F) }
    CHAINS(S)
#undef D
#undef F
#undef S
    return _mm512_reduce_add_ps(s);
}

static int cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double trial(int wide, int threads) {
    volatile float sink = 0;
    double t0 = now();
#pragma omp parallel num_threads(threads)
    {
        float r = wide ? loop512(ITERS, (float)omp_get_thread_num()) : loop256(ITERS, (float)omp_get_thread_num());
#pragma omp atomic
        sink += r;
    }
    double dt = now() - t0;
    return 2.0 * (wide ? 16 : 8) * 12 * ITERS * threads / dt * 1e-9;
}

int main(void) {
    __builtin_cpu_init();
    int wide = __builtin_cpu_supports("avx512f");
    if (!wide && !__builtin_cpu_supports("fma")) {
        puts("no FMA unit found");
        return 1;
    }
    int maxt = omp_get_max_threads();
    for (int t = 1; t <= maxt; t = t < maxt && t * 2 > maxt ? maxt : t * 2) {
        double g[7];
        for (int i = 0; i < 7; i++) g[i] = trial(wide, t);
        qsort(g, 7, sizeof g[0], cmp);
        printf("%s FMA, %d thread(s): median %.1f GFLOP/s (best %.1f)\n", wide ? "AVX-512" : "AVX2", t, g[3], g[6]);
        if (t == maxt) break;
    }
    return 0;
}
