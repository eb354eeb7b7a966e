# Where `cmake --install` puts FrameBridge under any prefix (GNUInstallDirs), and the install
# rules for what is not a target: the Python SDK, its examples and the docs. The binaries
# install themselves (app/cli, ui), the icons and the desktop entry too (assets).
#
# The desktop app finds the SDK and the examples relative to its own binary, so every folder
# here stays relative to the prefix: the same build serves /usr/local, /opt/x and the .deb's /usr.

include(GNUInstallDirs)
# Debian names the docs folder after the package; GNUInstallDirs' DOCDIR, after the project.
set(FRAMEBRIDGE_INSTALL_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/framebridge")

# Debian's own layout for pure-Python packages: the one its python3 searches under /usr, and
# not tied to one Python version, so a .deb outlives the next python3.
set(FRAMEBRIDGE_INSTALL_PYTHONDIR "lib/python3/dist-packages" CACHE STRING
    "Where the Python SDK (the framebridge package) goes, relative to the prefix")
set(FRAMEBRIDGE_INSTALL_EXAMPLESDIR "${CMAKE_INSTALL_DATADIR}/framebridge/examples")

foreach(dir IN ITEMS CMAKE_INSTALL_BINDIR FRAMEBRIDGE_INSTALL_PYTHONDIR)
  if(IS_ABSOLUTE "${${dir}}")
    message(FATAL_ERROR "${dir} is '${${dir}}': it must be relative to the prefix, so that the "
                        "installed app finds the SDK relative to itself")
  endif()
endforeach()

# What the app adds to its own folder to reach the SDK and the examples (ui/).
file(RELATIVE_PATH FRAMEBRIDGE_BINDIR_TO_PYTHONDIR
     "/prefix/${CMAKE_INSTALL_BINDIR}" "/prefix/${FRAMEBRIDGE_INSTALL_PYTHONDIR}")
file(RELATIVE_PATH FRAMEBRIDGE_BINDIR_TO_EXAMPLESDIR
     "/prefix/${CMAKE_INSTALL_BINDIR}" "/prefix/${FRAMEBRIDGE_INSTALL_EXAMPLESDIR}")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/python_sdk/framebridge
        DESTINATION ${FRAMEBRIDGE_INSTALL_PYTHONDIR}
        PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python_sdk/examples/
        DESTINATION ${FRAMEBRIDGE_INSTALL_EXAMPLESDIR}
        FILES_MATCHING PATTERN "*.py")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${FRAMEBRIDGE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/python_sdk/README.md
        DESTINATION ${FRAMEBRIDGE_INSTALL_DOCDIR} RENAME python-sdk.md)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${FRAMEBRIDGE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
