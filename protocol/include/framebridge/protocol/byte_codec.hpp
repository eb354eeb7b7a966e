#pragma once
// Little-endian fixed-width integers in and out of byte buffers, bounds-checked
// on the way in because the bytes come from the network.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace framebridge::protocol {

/// @brief Appends little-endian integers and raw bytes to a buffer.
class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    void u8(std::uint8_t value) { put(value, 1); }
    void u16(std::uint16_t value) { put(value, 2); }
    void u32(std::uint32_t value) { put(value, 4); }
    void u64(std::uint64_t value) { put(value, 8); }
    void bytes(const std::string& text) { out_.insert(out_.end(), text.begin(), text.end()); }

private:
    void put(std::uint64_t value, int size) {
        for (int i = 0; i < size; ++i) {
            out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
        }
    }

    std::vector<std::uint8_t>& out_;
};

/// @brief Reads little-endian integers from a buffer; throws std::out_of_range past its end.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
    std::uint64_t u64() { return get(8); }

    std::string bytes(std::size_t count) {
        require(count);
        std::string text(reinterpret_cast<const char*>(data_ + pos_), count);
        pos_ += count;
        return text;
    }

    std::size_t remaining() const noexcept { return size_ - pos_; }

private:
    void require(std::size_t count) const {
        if (count > size_ - pos_) {
            throw std::out_of_range("needs " + std::to_string(count) + " more bytes, has " +
                                    std::to_string(size_ - pos_));
        }
    }

    std::uint64_t get(int size) {
        require(static_cast<std::size_t>(size));
        std::uint64_t value = 0;
        for (int i = 0; i < size; ++i) {
            value |= std::uint64_t{data_[pos_ + static_cast<std::size_t>(i)]} << (8 * i);
        }
        pos_ += static_cast<std::size_t>(size);
        return value;
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace framebridge::protocol
