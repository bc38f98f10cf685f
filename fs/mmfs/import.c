// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/import.c - mmsim_import_file: copy a host file into the
 * machine's file system (`mmsim boot --import HOST:PATH`, `mmsim run
 * --import HOST:PATH`), as a user would copy it in: the parent directories
 * of PATH are made (vfs_mkdir, an existing one is fine), then PATH is opened
 * with O_WRONLY|O_CREAT|O_TRUNC (filp_open) and the bytes go in with
 * kernel_write, through the page cache, 64 KiB at a time; writeback takes
 * them to the disk later (or sync, or shutdown).
 *
 * Locking: none of its own; the VFS's (the parent's inode_lock around the
 * lookup and mkdir).  It runs on a CPU of the machine (the calling thread
 * after mmsim_boot) and needs no task: no fd is installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include "fs/internal.h"

#define IMPORT_CHUNK	(64u * 1024)

/* mkdir @path unless it exists (no task needed: the VFS's own calls). */
static int import_mkdir(const char *path)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	int ret = kern_path_parent(path, &parent, &last, &trailing);

	if (ret)
		return ret;
	inode_lock(d_inode(parent.dentry));
	d = lookup_one_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		ret = (int)PTR_ERR(d);
	} else {
		if (d_really_is_negative(d))
			ret = vfs_mkdir(d_inode(parent.dentry), d, S_IFDIR | 0755);
		else if (!S_ISDIR(d_inode(d)->i_mode))
			ret = -ENOTDIR;
		dput(d);
	}
	inode_unlock(d_inode(parent.dentry));
	path_put(&parent);
	return ret;
}

/* An absolute path of non-empty components, none "." or "..", not ending in '/'. */
static bool import_path_ok(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/' || len < 2 || len >= PATH_MAX || path[len - 1] == '/')
		return false;
	for (const char *p = path; *p;) {
		const char *c = p + 1, *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);

		if (!n || n > 255 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		p = c + n;
	}
	return true;
}

int mmsim_import_file(const char *host_path, const char *path)
{
	char *dir, *buf;
	struct file *f;
	struct stat st;
	loff_t pos = 0;
	int fd, ret = 0;

	if (!host_path || !path || !import_path_ok(path))
		return -EINVAL;
	fd = open(host_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	/* The parent directories, outermost first. */
	dir = strdup(path);
	buf = malloc(IMPORT_CHUNK);
	if (!dir || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		ret = import_mkdir(dir);
		*s = '/';
		if (ret)
			goto out;
	}
	f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (IS_ERR(f)) {
		ret = (int)PTR_ERR(f);
		goto out;
	}
	if (!f) {
		ret = -ENOENT;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, IMPORT_CHUNK);

		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = kernel_write(f, buf + done, (size_t)(n - done), &pos);

			if (w <= 0) {
				ret = w ? (int)w : -EIO;
				break;
			}
			done += w;
		}
		if (ret)
			break;
	}
	{
		int r = filp_close(f);

		if (!ret)
			ret = r;
	}
out:
	free(buf);
	free(dir);
	close(fd);
	return ret;
}
