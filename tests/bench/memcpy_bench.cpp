// The two ceilings the end-to-end benchmark (bench.py) is measured against: how fast this
// machine copies one 4K BGR frame, and how fast the synthetic source renders one.

#include "framebridge/app/sources/synthetic_source.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <vector>

using framebridge::app::SyntheticSource;
using framebridge::shm::FrameGeometry;
using framebridge::shm::PixelFormat;

namespace {

constexpr FrameGeometry FRAME_4K{3840, 2160, PixelFormat::Bgr8};

// Filled with distinct values so every page is really mapped before timing starts.
std::vector<std::byte> touched_buffer(std::size_t bytes, std::byte fill) {
    return std::vector<std::byte>(bytes, fill);
}

void memcpyOne4kFrame(benchmark::State& state) {
    const std::size_t frame_bytes = std::size_t{FRAME_4K.width} * FRAME_4K.height * 3;
    const auto src = touched_buffer(frame_bytes, std::byte{0x5a});
    auto dst = touched_buffer(frame_bytes, std::byte{0xa5});
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), frame_bytes);
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame_bytes));
}
BENCHMARK(memcpyOne4kFrame)->Unit(benchmark::kMillisecond)->UseRealTime();

// Argument: how many slots the frames rotate through. One slot (25 MB) may stay partly in
// the last-level cache; three, as in the server's default ring, cannot.
void syntheticSourceFills4kFrame(benchmark::State& state) {
    SyntheticSource source(FRAME_4K);
    std::vector<std::vector<std::byte>> slots;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        slots.push_back(touched_buffer(FRAME_4K.payload_size(), std::byte{0}));
    }
    std::uint64_t seq = 0;
    for (auto _ : state) {
        auto& slot = slots[seq % slots.size()];
        benchmark::DoNotOptimize(source.grab());
        benchmark::DoNotOptimize(source.retrieve(slot.data(), FRAME_4K.stride(), ++seq));
        benchmark::DoNotOptimize(slot.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() *
                            static_cast<std::int64_t>(FRAME_4K.payload_size()));
}
BENCHMARK(syntheticSourceFills4kFrame)
    ->ArgName("slots")
    ->Arg(1)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
