// framebridge-mapping-proxy: the Windows calls the Python SDK makes to map a stream
// (python_sdk/framebridge/_segment.py), made for real, under Wine, for the SDK's tests on Linux
// (tests/windows/sdk_e2e_test.py), which cannot make them from Linux. One request per line on
// stdin, one answer per line on stdout; names travel as hex of their UTF-8 bytes, so they
// arrive exactly as sent:
//   open ACCESS INHERIT NAME   OpenFileMappingW(ACCESS, INHERIT, NAME)
//                              -> "handle H", or "error E" with GetLastError()
//   close H                    CloseHandle(H) -> "ok", or "error E"
//   query ADDRESS              VirtualQuery(ADDRESS) -> "region BASE SIZE STATE PROTECT", or
//                              "error E"
//   mmap SIZE ACCESS NAME      mmap.mmap(-1, SIZE, tagname=NAME, access=ACCESS_READ or, for
//                              ACCESS copy, ACCESS_COPY), with the calls CPython makes
//                              (cpython_mmap.hpp)
//                              -> "view ADDRESS EXISTED": where the view is in this process,
//                              so that the test maps the very same pages (through /proc), and
//                              whether the mapping existed before (CPython cannot tell); or
//                              "error E"
// Views stay mapped until the process ends, as an SDK that never lets go would keep them.

#include "windows/cpython_mmap.hpp"

#include <windows.h>
#include <cstdint>
#include <iostream>
#include <list>
#include <sstream>
#include <string>

using framebridge::test::CPythonMmap;
using framebridge::test::MmapAccess;
using framebridge::test::widen;
using framebridge::test::WindowsCallError;

namespace {

std::string from_hex(const std::string& hex) {
    std::string text;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        text.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return text;
}

std::string error_answer(DWORD error) {
    return "error " + std::to_string(error);
}

std::string open_mapping(std::istringstream& args) {
    DWORD access = 0;
    int inherit = 0;
    std::string name;
    args >> access >> inherit >> name;
    const HANDLE handle = ::OpenFileMappingW(access, inherit, widen(from_hex(name)).c_str());
    if (handle == nullptr) {
        return error_answer(::GetLastError());
    }
    return "handle " + std::to_string(reinterpret_cast<std::uintptr_t>(handle));
}

std::string close_handle(std::istringstream& args) {
    std::uintptr_t handle = 0;
    args >> handle;
    if (::CloseHandle(reinterpret_cast<HANDLE>(handle)) == 0) {
        return error_answer(::GetLastError());
    }
    return "ok";
}

std::string map_view(std::istringstream& args, std::list<CPythonMmap>& views) {
    std::uint64_t size = 0;
    std::string access;
    std::string name;
    args >> size >> access >> name;
    try {
        const CPythonMmap& view = views.emplace_back(
            from_hex(name), size, access == "copy" ? MmapAccess::Copy : MmapAccess::Read);
        return "view " + std::to_string(reinterpret_cast<std::uintptr_t>(view.data())) + " " +
               (view.existed() ? "1" : "0");
    } catch (const WindowsCallError& e) {
        return error_answer(e.error());
    }
}

// VirtualQuery(ADDRESS): what the SDK asks of its view to see whether it wrote a page.
std::string query_region(std::istringstream& args) {
    std::uintptr_t address = 0;
    args >> address;
    MEMORY_BASIC_INFORMATION info{};
    if (::VirtualQuery(reinterpret_cast<const void*>(address), &info, sizeof info) == 0) {
        return error_answer(::GetLastError());
    }
    return "region " + std::to_string(reinterpret_cast<std::uintptr_t>(info.BaseAddress)) + " " +
           std::to_string(info.RegionSize) + " " + std::to_string(info.State) + " " +
           std::to_string(info.Protect);
}

}  // namespace

int main() {
    std::list<CPythonMmap> views;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream args(line);
        std::string call;
        args >> call;
        std::string answer = "error 1";  // ERROR_INVALID_FUNCTION: not a call this proxy makes
        if (call == "open") {
            answer = open_mapping(args);
        } else if (call == "close") {
            answer = close_handle(args);
        } else if (call == "mmap") {
            answer = map_view(args, views);
        } else if (call == "query") {
            answer = query_region(args);
        }
        std::cout << answer << std::endl;
    }
    return 0;
}
