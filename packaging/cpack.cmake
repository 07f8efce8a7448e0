# Debian package of Refine: the desktop app, the command line, the bundled models, the desktop
# entry and the icon. Included at the end of app/CMakeLists.txt; `cpack -G DEB` in the build
# folder makes refine_<version>_amd64.deb.

# The desktop entry and the icon, where desktop environments look for them.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/refine.desktop DESTINATION share/applications)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/refine.svg DESTINATION share/icons/hicolor/scalable/apps)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/refine-256.png
        DESTINATION share/icons/hicolor/256x256/apps RENAME refine.png)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/refine-48.png
        DESTINATION share/icons/hicolor/48x48/apps RENAME refine.png)

# The engine looks for models in <prefix>/share/refine/models beside bin/.
if(EXISTS ${CMAKE_SOURCE_DIR}/models)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/models/ DESTINATION share/refine/models)
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "refine")
set(CPACK_PACKAGE_VENDOR "Refine")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Photo enlarger with a diffusion model (SR3): several results to choose from")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "refine")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Refine maintainers <refine@invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION "graphics")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "amd64")
# The Debian 12 packages of the shared libraries refine and refine-cli link (found with
# `dpkg -S` on each library); qt6-qpa-plugins holds the xcb/wayland platform plugins that a
# Qt program needs to open a window; libssl3 holds libcrypto (the models' sha256 check);
# opencv-data holds the Haar cascade the face detector reads at run time.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6gui6 (>= 6.4), libqt6widgets6 (>= 6.4), libqt6concurrent6 (>= 6.4), \
qt6-qpa-plugins, libtorch1.13, libopencv-core406, libopencv-imgproc406, libopencv-imgcodecs406, libopencv-photo406, \
libopencv-objdetect406, opencv-data, libexiv2-27, libssl3, zlib1g")
# dpkg-shlibdeps adds anything the list above missed (libstdc++, libc, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

include(CPack)
