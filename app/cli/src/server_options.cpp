#include "framebridge/app/cli/server_options.hpp"

#include "framebridge/app/server/access_token.hpp"
#include "framebridge/app/sources/fourcc.hpp"
#include "framebridge/app/sources/source_spec.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <regex>
#include <sstream>

namespace framebridge::app {

shm::FrameGeometry parse_size(const std::string& text) {
    static const std::regex pattern(R"(^\s*(\d{1,6})\s*[xX]\s*(\d{1,6})\s*$)");
    std::smatch match;
    if (!std::regex_match(text, match, pattern)) {
        throw std::invalid_argument("size '" + text + "' is not WIDTHxHEIGHT, e.g. 3840x2160");
    }
    shm::FrameGeometry geometry;
    geometry.width = static_cast<std::uint32_t>(std::stoul(match[1]));
    geometry.height = static_cast<std::uint32_t>(std::stoul(match[2]));
    shm::validate_geometry(geometry);
    return geometry;
}

namespace {

// Another host's clients cannot map the segment, but a container's can (its own network, the
// host's /dev/shm); whoever reaches a non-loopback address must prove who they are.
void check_listen_address(const std::string& address, bool has_token) {
    boost::system::error_code ec;
    const auto ip = boost::asio::ip::make_address(address, ec);
    if (ec) {
        throw std::invalid_argument("--listen '" + address +
                                    "' is not an IP address, e.g. 127.0.0.1 or 0.0.0.0");
    }
    if (!ip.is_loopback() && !has_token) {
        throw std::invalid_argument("--listen " + address +
                                    " lets other machines connect; give --token-file PATH (or "
                                    "--token SECRET) so only your clients can");
    }
}

// CLI11's own messages ("Value -3 not in range 0.000000 to 1000.000000", and for a port past
// 65535 "At Most 1 required but received 2") name no fix; these say what the value means.
CLI::Validator fps_check() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const double fps = std::stod(text);
            if (fps < 0) {
                return text +
                       " frames per second is negative: give a rate up to 1000, or 0 to "
                       "capture as fast as the source goes";
            }
            if (fps > 1000) {
                return text +
                       " frames per second is above 1000; 0 captures as fast as the "
                       "source goes";
            }
            return {};
        },
        "0..1000");
}

CLI::Validator port_check() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            static const std::regex digits(R"(\d{1,9})");
            if (!std::regex_match(text, digits) || std::stol(text) > 65535) {
                return text + " is not a TCP port: give 1 to 65535, or 0 to pick a free one";
            }
            return {};
        },
        "0..65535");
}

// "front=camera:0": the name before the first '=', the source spec after it.
StreamSpec parse_stream_option(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
        throw std::invalid_argument("--stream '" + text +
                                    "' is not NAME=SOURCE, e.g. --stream front=camera:0");
    }
    StreamSpec spec{text.substr(0, equals), text.substr(equals + 1)};
    try {
        parse_source_spec(spec.source);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("--stream " + spec.name + ": " + e.what());
    }
    return spec;
}

std::vector<StreamSpec> parse_stream_options(const std::vector<std::string>& texts) {
    std::vector<StreamSpec> streams;
    for (const std::string& text : texts) {
        streams.push_back(parse_stream_option(text));
    }
    validate_stream_names(streams);
    return streams;
}

}  // namespace

ParsedOptions parse_server_options(int argc, const char* const* argv,
                                   const OptionsProgram& program) {
    ServerOptions options;
    PipelineConfig& p = options.pipeline;
    std::string size;
    std::string token_file;
    std::vector<std::string> streams;
    double fps = 0.0;
    long port = p.port;

    CLI::App cli{program.description.empty()
                     ? "framebridge-server: captures frames into named shared-memory streams, "
                       "tells clients (the framebridge SDK) where the newest frame of each is, "
                       "and hosts the streams clients publish."
                     : program.description,
                 program.name};
    cli.set_version_flag("--version", program.name + " 0.1.0");
    cli.add_option("--source", p.source,
                   "Where frames come from: synthetic (a moving test pattern), camera:N (or N), "
                   "a video file, an rtsp:// or http:// URL, or gst:PIPELINE")
        ->capture_default_str();
    cli.add_option(
        "--stream", streams,
        "NAME=SOURCE: one capture stream of several, SOURCE as --source takes it; repeat it for "
        "each (the first is the stream a client gets by default); --size, --fps, --fourcc and "
        "--loop apply to each. Instead of --source and --name");
    cli.add_option("--size", size,
                   "Frame size WIDTHxHEIGHT; asked of a camera; default: 3840x2160 for "
                   "synthetic, the source's own otherwise");
    cli.add_option("--fps", fps,
                   "Frames per second; 0 captures as fast as the source goes; default: 30 for "
                   "synthetic, a file's own rate, a camera's or stream's own pace")
        ->check(fps_check());
    cli.add_option("--fourcc", p.fourcc,
                   "Camera encoding to ask for, e.g. MJPG or YUYV; default: MJPG above 1080p");
    cli.add_flag("--loop", p.loop, "Play a file again from the start when it ends");
    std::string pace = "source";
    cli.add_option("--pace", pace,
                   "Who sets the pace: source (its own rate or --fps; a slow client skips "
                   "frames) or clients (files only: each frame is read once every client has "
                   "the one before, from the first client on; none is skipped)")
        ->check(CLI::IsMember({"source", "clients"}))
        ->capture_default_str();
    cli.add_flag("--list-cameras", options.list_cameras, "List the cameras found, then exit");
    cli.add_option("--listen", p.listen_address,
                   "IP address to accept clients on; any but a loopback one (e.g. 0.0.0.0 for "
                   "a container's clients) needs --token or --token-file")
        ->capture_default_str();
    cli.add_option("--port", port, "TCP port for clients; 0 picks a free one")
        ->check(port_check())
        ->capture_default_str();
    auto* token = cli.add_option("--token", p.token,
                                 "Secret every client must give (fb.connect(..., token=...)); "
                                 "other users can see it in the process list: prefer "
                                 "--token-file");
    cli.add_option("--token-file", token_file,
                   "File whose first line is the token; it must be readable by you alone "
                   "(chmod 600)")
        ->excludes(token);
    cli.add_option("--name", p.name,
                   "Stream name of the one stream: the shared-memory segment /dev/shm/NAME")
        ->capture_default_str();
    cli.add_option("--slots", p.slots,
                   "Frames in each stream's ring (and a published stream's by default); each "
                   "client may hold slots-1 of them at once")
        ->check(CLI::Range(shm::MIN_SLOTS, shm::MAX_SLOTS))
        ->capture_default_str();
    long rtsp_port = 0;
    cli.add_option("--rtsp-port", rtsp_port,
                   "Serve every stream over RTSP too, at rtsp://LISTEN:PORT/NAME (e.g. 8554; 0 "
                   "picks a free one), for readers on other machines; with a token, RTSP "
                   "clients log in as user framebridge with it")
        ->check(port_check());
    cli.add_option("--rtsp-encoder", options.rtsp.encoder,
                   "auto (a hardware H.264 encoder, else x264enc, else openh264enc, else "
                   "jpegenc), or one of nvh264enc, vaapih264enc, x264enc, openh264enc, jpegenc")
        ->capture_default_str();
    cli.add_option("--rtsp-bitrate", options.rtsp.bitrate_kbps,
                   "H.264 bitrate in kb/s; default: 0.1 bit per pixel per frame of each stream "
                   "(about 6000 for 1080p30)")
        ->check(CLI::Range(100U, 200000U));
    cli.add_option("--stats-every", options.stats_every_s,
                   "Seconds between statistics lines; 0 turns them off")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();
    cli.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
        ->capture_default_str();

    if (program.add_flags) {
        program.add_flags(cli);
    }

    ParsedOptions parsed;
    try {
        cli.parse(argc, argv);
        if (cli.count("--size") > 0) {
            p.geometry = parse_size(size);
        }
        if (cli.count("--fps") > 0) {
            p.fps = fps;
        }
        p.pace = pace == "clients" ? Pace::Clients : Pace::Source;
        p.port = static_cast<std::uint16_t>(port);
        if (!p.fourcc.empty()) {
            validate_fourcc(p.fourcc);
        }
        parse_source_spec(p.source);
        shm::validate_segment_name(p.name);
        if (!streams.empty() && cli.count("--source") + cli.count("--name") > 0) {
            throw std::invalid_argument(
                "--stream NAME=SOURCE gives each stream its name and source: leave out --source "
                "and --name, or use them without --stream for one stream");
        }
        p.streams = parse_stream_options(streams);
        if (cli.count("--token-file") > 0) {
            p.token = read_token_file(token_file);
        } else if (cli.count("--token") > 0) {
            validate_token(p.token, "--token");
        }
        check_listen_address(p.listen_address, !p.token.empty());
        if (cli.count("--rtsp-port") > 0) {
#ifndef FRAMEBRIDGE_HAVE_RTSP
            throw std::invalid_argument(
                "--rtsp-port: this build has no RTSP server (it was built without GStreamer's "
                "libgstrtspserver-1.0-dev); shared-memory clients work as before");
#endif
            options.rtsp.port = static_cast<std::uint16_t>(rtsp_port);
        }
    } catch (const CLI::ParseError& e) {
        std::ostringstream out;
        std::ostringstream err;
        parsed.exit_code = cli.exit(e, out, err) == 0 ? 0 : 2;
        parsed.message = out.str() + err.str();
        return parsed;
    } catch (const std::invalid_argument& e) {
        parsed.exit_code = 2;
        parsed.message = program.name + ": " + e.what() + "\n";
        return parsed;
    }
    parsed.options = options;
    return parsed;
}

}  // namespace framebridge::app
