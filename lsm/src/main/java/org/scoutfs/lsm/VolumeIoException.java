package org.scoutfs.lsm;

import java.io.IOException;

/** The device failed a read, write or flush; the message says which device, where and how much. */
public final class VolumeIoException extends StorageException {
    public VolumeIoException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
