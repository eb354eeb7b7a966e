"""End-to-end: one real server with two capture streams (--stream NAME=SPEC), read by name."""

from pathlib import Path
from typing import Callable, Iterator, Tuple

import pytest

import framebridge as fb
from conftest import RunningServer, free_port, launch, stop, wait_accepting
from fakes import unique_name
from test_server_e2e import stamp_ok

Streams = Tuple[RunningServer, str, str]


@pytest.fixture
def two_streams(tmp_path: Path) -> Iterator[Streams]:
    """framebridge-server --stream FRONT=synthetic --stream BACK=synthetic --size 320x240."""
    front, back = unique_name("front"), unique_name("back")
    running = launch(tmp_path / "server.log", "", free_port(), "--size", "320x240",
                     streams={front: "synthetic", back: "synthetic"})
    try:
        wait_accepting(running)
        yield running, front, back
    finally:
        stop(running)  # fails the test if either segment is left in /dev/shm


def read_whole_frames(client: fb.Client, count: int) -> None:
    for _ in range(count):
        with client.latest(timeout=5) as frame:
            assert frame.array.shape == (240, 320, 3)
            assert stamp_ok(frame) and frame.valid()


def test_two_sources_at_once_are_each_read_by_name(two_streams: Streams) -> None:
    server, front, back = two_streams

    with fb.connect(port=server.port, stream=front) as a, \
            fb.connect(port=server.port, stream=back) as b:
        assert (a.stream, b.stream) == (front, back)
        assert a.segment_name == front and b.segment_name == back
        assert a.session_id != b.session_id
        read_whole_frames(a, 5)
        read_whole_frames(b, 5)


def test_no_stream_named_reads_the_first_on_the_command_line(two_streams: Streams) -> None:
    server, front, _ = two_streams

    with fb.connect(port=server.port) as client:
        assert client.stream == front
        read_whole_frames(client, 2)


def test_an_unknown_stream_is_stream_not_found_listing_what_the_server_has(
        two_streams: Streams) -> None:
    server, front, back = two_streams

    with pytest.raises(fb.StreamNotFound, match=f"'side'.*{front}, {back}") as raised:
        fb.connect(port=server.port, stream="side")
    assert raised.value.names == [front, back]
    with fb.connect(port=server.port, stream=back) as client:  # the server goes on
        read_whole_frames(client, 1)


def test_list_streams_lists_both_with_their_readers(two_streams: Streams) -> None:
    server, front, back = two_streams

    with fb.connect(port=server.port, stream=back) as reader:
        read_whole_frames(reader, 1)
        streams = fb.list_streams(port=server.port)

    assert [s.name for s in streams] == [front, back]
    for info in streams:
        assert (info.width, info.height, info.format) == (320, 240, fb.PixelFormat.BGR8)
        assert info.producer == "capture"
        assert info.newest_seq > 0
    assert streams[1].clients == 1  # the reader above (list_streams itself reads the first)


def test_a_reconnecting_client_comes_back_to_its_stream(
        tmp_path: Path, start_server: Callable[..., RunningServer]) -> None:
    front, back = unique_name("front"), unique_name("back")
    streams = {front: "synthetic", back: "synthetic"}
    first = start_server(None, None, "--size", "320x240", streams=streams)

    with fb.connect(port=first.port, stream=back, reconnect=True) as client:
        read_whole_frames(client, 1)
        stop(first)
        start_server(None, first.port, "--size", "320x240", streams=streams)
        read_whole_frames(client, 1)
        assert client.reconnects == 1 and client.stream == back
