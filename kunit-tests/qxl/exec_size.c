// SPDX-License-Identifier: GPL-2.0
/*
 * Part of the qxl boot (qxl_boot.py): DRM_IOCTL_QXL_EXECBUFFER with draw
 * commands of 248, 249 and 1024 bytes.  A drawable release is a 256-byte
 * slot, union qxl_release_info (8 bytes) included, so 248 is the longest
 * command that fits.  Every command comes with one relocation at an
 * address that cannot be read: a command that passes the size check is
 * copied into its release and then fails with EFAULT on the relocation,
 * so nothing is ever submitted to the device.  Prints one line per size
 * with the errno; the boot expects EFAULT, EINVAL, EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "qxl_drm.h"

#define QXL_CMD_DRAW 1	/* drivers/gpu/drm/qxl/qxl_dev.h */

int main(void)
{
	static char command[4096];
	static const unsigned int sizes[] = { 248, 249, 1024 };
	unsigned int i;
	int fd;

	fd = open("/dev/dri/card0", O_RDWR);
	if (fd < 0) {
		printf("qxl-exec: open /dev/dri/card0: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct drm_qxl_command cmd = {
			.command = (uintptr_t)command,
			.relocs = 8,	/* unreadable */
			.type = QXL_CMD_DRAW,
			.command_size = sizes[i],
			.relocs_num = 1,
		};
		struct drm_qxl_execbuffer eb = {
			.commands_num = 1,
			.commands = (uintptr_t)&cmd,
		};
		int ret = ioctl(fd, DRM_IOCTL_QXL_EXECBUFFER, &eb);

		printf("qxl-exec: command_size %u: %s\n", sizes[i],
		       ret ? (errno == EINVAL ? "EINVAL" : errno == EFAULT ? "EFAULT" :
			      strerror(errno)) : "accepted");
	}
	return 0;
}
