#pragma once
// A mapping opened exactly as CPython opens one on Windows for
// mmap.mmap(-1, size, tagname=NAME, access=mmap.ACCESS_READ or ACCESS_COPY)
// (Modules/mmapmodule.c): CreateFileMappingW on INVALID_HANDLE_VALUE with the tag name and
// PAGE_READONLY (PAGE_WRITECOPY), then MapViewOfFile with FILE_MAP_READ (FILE_MAP_COPY) over
// `size` bytes. Like CPython, it silently creates an
// empty mapping when none has the name; existed() tells the two apart, as Python cannot.

#include <windows.h>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace framebridge::test {

/// @brief UTF-8 to the UTF-16 Windows' W calls take, as CPython passes a str to them.
inline std::wstring widen(const std::string& text) {
    if (text.empty()) {
        return {};
    }
    const int size = static_cast<int>(text.size());
    const int wide_size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(), size, nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(wide_size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), size, wide.data(), wide_size);
    return wide;
}

/// @brief A Windows call failed; error() is what GetLastError() said.
class WindowsCallError : public std::runtime_error {
public:
    WindowsCallError(const std::string& call, DWORD error)
        : std::runtime_error(call + " failed: error " + std::to_string(error)), error_(error) {}

    DWORD error() const noexcept { return error_; }

private:
    DWORD error_;
};

/// @brief mmap.ACCESS_READ, ACCESS_COPY (the SDK's reader: its writes stay in its own pages),
/// or ACCESS_WRITE (the SDK's publisher: it writes into the slot it is lent).
enum class MmapAccess { Read, Copy, Write };

class CPythonMmap {
public:
    CPythonMmap(const std::string& tagname, std::uint64_t size,
                MmapAccess access = MmapAccess::Read)
        : size_(size) {
        const bool copy = access == MmapAccess::Copy;
        const bool write = access == MmapAccess::Write;
        handle_ =
            ::CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr,
                                 write ? PAGE_READWRITE : (copy ? PAGE_WRITECOPY : PAGE_READONLY),
                                 static_cast<DWORD>(size >> 32),
                                 static_cast<DWORD>(size & 0xffffffffu), widen(tagname).c_str());
        if (handle_ == nullptr) {
            throw WindowsCallError("CreateFileMappingW(" + tagname + ")", ::GetLastError());
        }
        existed_ = ::GetLastError() == ERROR_ALREADY_EXISTS;
        view_ = ::MapViewOfFile(handle_,
                                write ? FILE_MAP_WRITE : (copy ? FILE_MAP_COPY : FILE_MAP_READ), 0,
                                0, static_cast<SIZE_T>(size));
        if (view_ == nullptr) {
            const DWORD error = ::GetLastError();
            ::CloseHandle(handle_);
            throw WindowsCallError("MapViewOfFile(" + tagname + ")", error);
        }
    }
    ~CPythonMmap() {
        ::UnmapViewOfFile(view_);
        ::CloseHandle(handle_);
    }
    CPythonMmap(const CPythonMmap&) = delete;
    CPythonMmap& operator=(const CPythonMmap&) = delete;

    const std::byte* data() const noexcept { return static_cast<const std::byte*>(view_); }
    /// @brief Only of a MmapAccess::Write mapping.
    std::byte* writable_data() const noexcept { return static_cast<std::byte*>(view_); }
    std::uint64_t size() const noexcept { return size_; }
    bool existed() const noexcept { return existed_; }

private:
    HANDLE handle_ = nullptr;
    void* view_ = nullptr;
    std::uint64_t size_ = 0;
    bool existed_ = false;
};

/// @brief True if a named mapping `name` exists: OpenFileMapping finds it.
inline bool mapping_is_visible(const std::string& name) {
    const HANDLE handle = ::OpenFileMappingW(FILE_MAP_READ, FALSE, widen(name).c_str());
    if (handle == nullptr) {
        return false;
    }
    ::CloseHandle(handle);
    return true;
}

}  // namespace framebridge::test
