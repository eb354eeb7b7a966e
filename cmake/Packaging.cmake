# `cpack -G DEB` (run in the build folder): one framebridge_VERSION_ARCH.deb holding everything
# `cmake --install` puts under /usr, which `apt install ./framebridge_*.deb` installs on
# Debian 12 with what it needs. Included last, after every install rule.

set(FRAMEBRIDGE_PACKAGE_MAINTAINER "FrameBridge developers <framebridge@localhost>" CACHE STRING
    "The Maintainer field of the .deb")

set(CPACK_PACKAGE_NAME framebridge)
set(CPACK_PACKAGE_VENDOR FrameBridge)
set(CPACK_PACKAGE_CONTACT "${FRAMEBRIDGE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
# The long description; CPack puts the summary above it and indents it as Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A capture process writes each frame once, into a ring of slots in shared memory; a
small TCP server tells each Python client which slot holds the newest frame, and the
Python SDK hands that slot over as a read-only NumPy array.

This package holds the framebridge desktop app, the headless framebridge-server, the
Python SDK (import framebridge) and its example scripts.")
# The libraries the binaries link come from dpkg-shlibdeps; the SDK and the scripts need these.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, python3-numpy")
# canny_edges.py and face_detection.py need OpenCV; face_detection.py its Haar cascades.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-opencv, opencv-data")
# Byte-compile the SDK on install and remove the bytecode on removal, as dh_python3 does.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${CMAKE_CURRENT_LIST_DIR}/debian/prerm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
