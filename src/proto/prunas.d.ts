import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace prunas. */
export namespace prunas {

    /**
     * Properties of a ParameterState.
     * @deprecated Use prunas.ParameterState.$Properties instead.
     */
    interface IParameterState extends prunas.ParameterState.$Properties {
    }

    /** Represents a ParameterState. */
    class ParameterState {

        /**
         * Constructs a new ParameterState.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.ParameterState.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ParameterState name. */
        name: string;

        /** ParameterState value. */
        value: Uint8Array;

        /** ParameterState momentum. */
        momentum: Uint8Array;

        /** ParameterState momentumStarted. */
        momentumStarted: boolean;

        /** ParameterState adamM. */
        adamM: Uint8Array;

        /** ParameterState adamV. */
        adamV: Uint8Array;

        /** ParameterState adamSteps. */
        adamSteps: number;

        /**
         * Creates a new ParameterState instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ParameterState instance
         */
        static create(properties: prunas.ParameterState.$Shape): prunas.ParameterState & prunas.ParameterState.$Shape;
        static create(properties?: prunas.ParameterState.$Properties): prunas.ParameterState;

        /**
         * Encodes the specified ParameterState message. Does not implicitly {@link prunas.ParameterState.verify|verify} messages.
         * @param message ParameterState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.ParameterState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified ParameterState message, length delimited. Does not implicitly {@link prunas.ParameterState.verify|verify} messages.
         * @param message ParameterState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.ParameterState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ParameterState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.ParameterState & prunas.ParameterState.$Shape} ParameterState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.ParameterState & prunas.ParameterState.$Shape;

        /**
         * Decodes a ParameterState message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.ParameterState & prunas.ParameterState.$Shape} ParameterState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.ParameterState & prunas.ParameterState.$Shape;

        /**
         * Verifies a ParameterState message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a ParameterState message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ParameterState
         */
        static fromObject(object: { [k: string]: any }): prunas.ParameterState;

        /**
         * Creates a plain object from a ParameterState message. Also converts values to other types if specified.
         * @param message ParameterState
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.ParameterState, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this ParameterState to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for ParameterState
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace ParameterState {

        /** Properties of a ParameterState. */
        interface $Properties {

            /** ParameterState name */
            name?: (string|null);

            /** ParameterState value */
            value?: (Uint8Array|null);

            /** ParameterState momentum */
            momentum?: (Uint8Array|null);

            /** ParameterState momentumStarted */
            momentumStarted?: (boolean|null);

            /** ParameterState adamM */
            adamM?: (Uint8Array|null);

            /** ParameterState adamV */
            adamV?: (Uint8Array|null);

            /** ParameterState adamSteps */
            adamSteps?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a ParameterState. */
        type $Shape = prunas.ParameterState.$Properties;
    }

    /**
     * Properties of a Removal.
     * @deprecated Use prunas.Removal.$Properties instead.
     */
    interface IRemoval extends prunas.Removal.$Properties {
    }

    /** Represents a Removal. */
    class Removal {

        /**
         * Constructs a new Removal.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.Removal.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Removal layer. */
        layer: number;

        /** Removal candidate. */
        candidate: number;

        /**
         * Creates a new Removal instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Removal instance
         */
        static create(properties: prunas.Removal.$Shape): prunas.Removal & prunas.Removal.$Shape;
        static create(properties?: prunas.Removal.$Properties): prunas.Removal;

        /**
         * Encodes the specified Removal message. Does not implicitly {@link prunas.Removal.verify|verify} messages.
         * @param message Removal message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.Removal.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified Removal message, length delimited. Does not implicitly {@link prunas.Removal.verify|verify} messages.
         * @param message Removal message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.Removal.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Removal message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.Removal & prunas.Removal.$Shape} Removal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.Removal & prunas.Removal.$Shape;

        /**
         * Decodes a Removal message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.Removal & prunas.Removal.$Shape} Removal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.Removal & prunas.Removal.$Shape;

        /**
         * Verifies a Removal message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a Removal message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Removal
         */
        static fromObject(object: { [k: string]: any }): prunas.Removal;

        /**
         * Creates a plain object from a Removal message. Also converts values to other types if specified.
         * @param message Removal
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.Removal, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this Removal to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for Removal
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace Removal {

        /** Properties of a Removal. */
        interface $Properties {

            /** Removal layer */
            layer?: (number|null);

            /** Removal candidate */
            candidate?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Removal. */
        type $Shape = prunas.Removal.$Properties;
    }

    /**
     * Properties of a PrunodeWidth.
     * @deprecated Use prunas.PrunodeWidth.$Properties instead.
     */
    interface IPrunodeWidth extends prunas.PrunodeWidth.$Properties {
    }

    /** Represents a PrunodeWidth. */
    class PrunodeWidth {

        /**
         * Constructs a new PrunodeWidth.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.PrunodeWidth.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** PrunodeWidth layer. */
        layer: number;

        /** PrunodeWidth candidate. */
        candidate: number;

        /** PrunodeWidth width. */
        width: number;

        /**
         * Creates a new PrunodeWidth instance using the specified properties.
         * @param [properties] Properties to set
         * @returns PrunodeWidth instance
         */
        static create(properties: prunas.PrunodeWidth.$Shape): prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape;
        static create(properties?: prunas.PrunodeWidth.$Properties): prunas.PrunodeWidth;

        /**
         * Encodes the specified PrunodeWidth message. Does not implicitly {@link prunas.PrunodeWidth.verify|verify} messages.
         * @param message PrunodeWidth message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.PrunodeWidth.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified PrunodeWidth message, length delimited. Does not implicitly {@link prunas.PrunodeWidth.verify|verify} messages.
         * @param message PrunodeWidth message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.PrunodeWidth.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a PrunodeWidth message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape} PrunodeWidth
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape;

        /**
         * Decodes a PrunodeWidth message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape} PrunodeWidth
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape;

        /**
         * Verifies a PrunodeWidth message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a PrunodeWidth message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns PrunodeWidth
         */
        static fromObject(object: { [k: string]: any }): prunas.PrunodeWidth;

        /**
         * Creates a plain object from a PrunodeWidth message. Also converts values to other types if specified.
         * @param message PrunodeWidth
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.PrunodeWidth, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this PrunodeWidth to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for PrunodeWidth
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace PrunodeWidth {

        /** Properties of a PrunodeWidth. */
        interface $Properties {

            /** PrunodeWidth layer */
            layer?: (number|null);

            /** PrunodeWidth candidate */
            candidate?: (number|null);

            /** PrunodeWidth width */
            width?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a PrunodeWidth. */
        type $Shape = prunas.PrunodeWidth.$Properties;
    }

    /**
     * Properties of a BatchnormState.
     * @deprecated Use prunas.BatchnormState.$Properties instead.
     */
    interface IBatchnormState extends prunas.BatchnormState.$Properties {
    }

    /** Represents a BatchnormState. */
    class BatchnormState {

        /**
         * Constructs a new BatchnormState.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.BatchnormState.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** BatchnormState mean. */
        mean: Uint8Array;

        /** BatchnormState var. */
        var: Uint8Array;

        /**
         * Creates a new BatchnormState instance using the specified properties.
         * @param [properties] Properties to set
         * @returns BatchnormState instance
         */
        static create(properties: prunas.BatchnormState.$Shape): prunas.BatchnormState & prunas.BatchnormState.$Shape;
        static create(properties?: prunas.BatchnormState.$Properties): prunas.BatchnormState;

        /**
         * Encodes the specified BatchnormState message. Does not implicitly {@link prunas.BatchnormState.verify|verify} messages.
         * @param message BatchnormState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.BatchnormState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified BatchnormState message, length delimited. Does not implicitly {@link prunas.BatchnormState.verify|verify} messages.
         * @param message BatchnormState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.BatchnormState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a BatchnormState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.BatchnormState & prunas.BatchnormState.$Shape} BatchnormState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.BatchnormState & prunas.BatchnormState.$Shape;

        /**
         * Decodes a BatchnormState message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.BatchnormState & prunas.BatchnormState.$Shape} BatchnormState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.BatchnormState & prunas.BatchnormState.$Shape;

        /**
         * Verifies a BatchnormState message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a BatchnormState message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns BatchnormState
         */
        static fromObject(object: { [k: string]: any }): prunas.BatchnormState;

        /**
         * Creates a plain object from a BatchnormState message. Also converts values to other types if specified.
         * @param message BatchnormState
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.BatchnormState, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this BatchnormState to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for BatchnormState
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace BatchnormState {

        /** Properties of a BatchnormState. */
        interface $Properties {

            /** BatchnormState mean */
            mean?: (Uint8Array|null);

            /** BatchnormState var */
            "var"?: (Uint8Array|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a BatchnormState. */
        type $Shape = prunas.BatchnormState.$Properties;
    }

    /**
     * Properties of a Checkpoint.
     * @deprecated Use prunas.Checkpoint.$Properties instead.
     */
    interface ICheckpoint extends prunas.Checkpoint.$Properties {
    }

    /** Represents a Checkpoint. */
    class Checkpoint {

        /**
         * Constructs a new Checkpoint.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.Checkpoint.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Checkpoint formatVersion. */
        formatVersion: number;

        /** Checkpoint spaceJson. */
        spaceJson: string;

        /** Checkpoint architectureJson. */
        architectureJson: string;

        /** Checkpoint configJson. */
        configJson: string;

        /** Checkpoint epochsDone. */
        epochsDone: number;

        /** Checkpoint stepsDone. */
        stepsDone: number;

        /** Checkpoint parameters. */
        parameters: prunas.ParameterState.$Properties[];

        /** Checkpoint batchnorm. */
        batchnorm: prunas.BatchnormState.$Properties[];

        /** Checkpoint historyJson. */
        historyJson: string;

        /** Checkpoint removed. */
        removed: prunas.Removal.$Properties[];

        /** Checkpoint strategyJson. */
        strategyJson: string;

        /** Checkpoint unitsDone. */
        unitsDone: (number|Long);

        /** Checkpoint prunodeWidths. */
        prunodeWidths: prunas.PrunodeWidth.$Properties[];

        /**
         * Creates a new Checkpoint instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Checkpoint instance
         */
        static create(properties: prunas.Checkpoint.$Shape): prunas.Checkpoint & prunas.Checkpoint.$Shape;
        static create(properties?: prunas.Checkpoint.$Properties): prunas.Checkpoint;

        /**
         * Encodes the specified Checkpoint message. Does not implicitly {@link prunas.Checkpoint.verify|verify} messages.
         * @param message Checkpoint message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.Checkpoint.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified Checkpoint message, length delimited. Does not implicitly {@link prunas.Checkpoint.verify|verify} messages.
         * @param message Checkpoint message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.Checkpoint.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Checkpoint message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.Checkpoint & prunas.Checkpoint.$Shape} Checkpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.Checkpoint & prunas.Checkpoint.$Shape;

        /**
         * Decodes a Checkpoint message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.Checkpoint & prunas.Checkpoint.$Shape} Checkpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.Checkpoint & prunas.Checkpoint.$Shape;

        /**
         * Verifies a Checkpoint message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a Checkpoint message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Checkpoint
         */
        static fromObject(object: { [k: string]: any }): prunas.Checkpoint;

        /**
         * Creates a plain object from a Checkpoint message. Also converts values to other types if specified.
         * @param message Checkpoint
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.Checkpoint, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this Checkpoint to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for Checkpoint
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace Checkpoint {

        /** Properties of a Checkpoint. */
        interface $Properties {

            /** Checkpoint formatVersion */
            formatVersion?: (number|null);

            /** Checkpoint spaceJson */
            spaceJson?: (string|null);

            /** Checkpoint architectureJson */
            architectureJson?: (string|null);

            /** Checkpoint configJson */
            configJson?: (string|null);

            /** Checkpoint epochsDone */
            epochsDone?: (number|null);

            /** Checkpoint stepsDone */
            stepsDone?: (number|null);

            /** Checkpoint parameters */
            parameters?: (prunas.ParameterState.$Properties[]|null);

            /** Checkpoint batchnorm */
            batchnorm?: (prunas.BatchnormState.$Properties[]|null);

            /** Checkpoint historyJson */
            historyJson?: (string|null);

            /** Checkpoint removed */
            removed?: (prunas.Removal.$Properties[]|null);

            /** Checkpoint strategyJson */
            strategyJson?: (string|null);

            /** Checkpoint unitsDone */
            unitsDone?: (number|Long|null);

            /** Checkpoint prunodeWidths */
            prunodeWidths?: (prunas.PrunodeWidth.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Checkpoint. */
        type $Shape = prunas.Checkpoint.$Properties;
    }

    /**
     * Properties of a LatencyTable.
     * @deprecated Use prunas.LatencyTable.$Properties instead.
     */
    interface ILatencyTable extends prunas.LatencyTable.$Properties {
    }

    /** Represents a LatencyTable. */
    class LatencyTable {

        /**
         * Constructs a new LatencyTable.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.LatencyTable.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** LatencyTable formatVersion. */
        formatVersion: number;

        /** LatencyTable spaceName. */
        spaceName: string;

        /** LatencyTable spaceJson. */
        spaceJson: string;

        /** LatencyTable device. */
        device?: (prunas.LatencyDevice.$Properties|null);

        /** LatencyTable batch. */
        batch: number;

        /** LatencyTable dtype. */
        dtype: string;

        /** LatencyTable prunasVersion. */
        prunasVersion: string;

        /** LatencyTable nodeVersion. */
        nodeVersion: string;

        /** LatencyTable napiVersion. */
        napiVersion: string;

        /** LatencyTable date. */
        date: string;

        /** LatencyTable warmup. */
        warmup: number;

        /** LatencyTable repeats. */
        repeats: number;

        /** LatencyTable entries. */
        entries: prunas.LatencyEntry.$Properties[];

        /** LatencyTable loadAverage. */
        loadAverage: number;

        /**
         * Creates a new LatencyTable instance using the specified properties.
         * @param [properties] Properties to set
         * @returns LatencyTable instance
         */
        static create(properties: prunas.LatencyTable.$Shape): prunas.LatencyTable & prunas.LatencyTable.$Shape;
        static create(properties?: prunas.LatencyTable.$Properties): prunas.LatencyTable;

        /**
         * Encodes the specified LatencyTable message. Does not implicitly {@link prunas.LatencyTable.verify|verify} messages.
         * @param message LatencyTable message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.LatencyTable.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified LatencyTable message, length delimited. Does not implicitly {@link prunas.LatencyTable.verify|verify} messages.
         * @param message LatencyTable message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.LatencyTable.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LatencyTable message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.LatencyTable & prunas.LatencyTable.$Shape} LatencyTable
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.LatencyTable & prunas.LatencyTable.$Shape;

        /**
         * Decodes a LatencyTable message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.LatencyTable & prunas.LatencyTable.$Shape} LatencyTable
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.LatencyTable & prunas.LatencyTable.$Shape;

        /**
         * Verifies a LatencyTable message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a LatencyTable message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns LatencyTable
         */
        static fromObject(object: { [k: string]: any }): prunas.LatencyTable;

        /**
         * Creates a plain object from a LatencyTable message. Also converts values to other types if specified.
         * @param message LatencyTable
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.LatencyTable, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this LatencyTable to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for LatencyTable
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace LatencyTable {

        /** Properties of a LatencyTable. */
        interface $Properties {

            /** LatencyTable formatVersion */
            formatVersion?: (number|null);

            /** LatencyTable spaceName */
            spaceName?: (string|null);

            /** LatencyTable spaceJson */
            spaceJson?: (string|null);

            /** LatencyTable device */
            device?: (prunas.LatencyDevice.$Properties|null);

            /** LatencyTable batch */
            batch?: (number|null);

            /** LatencyTable dtype */
            dtype?: (string|null);

            /** LatencyTable prunasVersion */
            prunasVersion?: (string|null);

            /** LatencyTable nodeVersion */
            nodeVersion?: (string|null);

            /** LatencyTable napiVersion */
            napiVersion?: (string|null);

            /** LatencyTable date */
            date?: (string|null);

            /** LatencyTable warmup */
            warmup?: (number|null);

            /** LatencyTable repeats */
            repeats?: (number|null);

            /** LatencyTable entries */
            entries?: (prunas.LatencyEntry.$Properties[]|null);

            /** LatencyTable loadAverage */
            loadAverage?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a LatencyTable. */
        type $Shape = prunas.LatencyTable.$Properties;
    }

    /**
     * Properties of a LatencyDevice.
     * @deprecated Use prunas.LatencyDevice.$Properties instead.
     */
    interface ILatencyDevice extends prunas.LatencyDevice.$Properties {
    }

    /** Represents a LatencyDevice. */
    class LatencyDevice {

        /**
         * Constructs a new LatencyDevice.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.LatencyDevice.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** LatencyDevice kind. */
        kind: string;

        /** LatencyDevice cpuModel. */
        cpuModel: string;

        /** LatencyDevice threads. */
        threads: number;

        /** LatencyDevice logicalCpus. */
        logicalCpus: number;

        /** LatencyDevice vectorPath. */
        vectorPath: string;

        /** LatencyDevice platform. */
        platform: string;

        /** LatencyDevice gpu. */
        gpu?: (prunas.LatencyGpu.$Properties|null);

        /**
         * Creates a new LatencyDevice instance using the specified properties.
         * @param [properties] Properties to set
         * @returns LatencyDevice instance
         */
        static create(properties: prunas.LatencyDevice.$Shape): prunas.LatencyDevice & prunas.LatencyDevice.$Shape;
        static create(properties?: prunas.LatencyDevice.$Properties): prunas.LatencyDevice;

        /**
         * Encodes the specified LatencyDevice message. Does not implicitly {@link prunas.LatencyDevice.verify|verify} messages.
         * @param message LatencyDevice message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.LatencyDevice.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified LatencyDevice message, length delimited. Does not implicitly {@link prunas.LatencyDevice.verify|verify} messages.
         * @param message LatencyDevice message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.LatencyDevice.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LatencyDevice message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.LatencyDevice & prunas.LatencyDevice.$Shape} LatencyDevice
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.LatencyDevice & prunas.LatencyDevice.$Shape;

        /**
         * Decodes a LatencyDevice message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.LatencyDevice & prunas.LatencyDevice.$Shape} LatencyDevice
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.LatencyDevice & prunas.LatencyDevice.$Shape;

        /**
         * Verifies a LatencyDevice message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a LatencyDevice message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns LatencyDevice
         */
        static fromObject(object: { [k: string]: any }): prunas.LatencyDevice;

        /**
         * Creates a plain object from a LatencyDevice message. Also converts values to other types if specified.
         * @param message LatencyDevice
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.LatencyDevice, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this LatencyDevice to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for LatencyDevice
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace LatencyDevice {

        /** Properties of a LatencyDevice. */
        interface $Properties {

            /** LatencyDevice kind */
            kind?: (string|null);

            /** LatencyDevice cpuModel */
            cpuModel?: (string|null);

            /** LatencyDevice threads */
            threads?: (number|null);

            /** LatencyDevice logicalCpus */
            logicalCpus?: (number|null);

            /** LatencyDevice vectorPath */
            vectorPath?: (string|null);

            /** LatencyDevice platform */
            platform?: (string|null);

            /** LatencyDevice gpu */
            gpu?: (prunas.LatencyGpu.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a LatencyDevice. */
        type $Shape = prunas.LatencyDevice.$Properties;
    }

    /**
     * Properties of a LatencyGpu.
     * @deprecated Use prunas.LatencyGpu.$Properties instead.
     */
    interface ILatencyGpu extends prunas.LatencyGpu.$Properties {
    }

    /** Represents a LatencyGpu. */
    class LatencyGpu {

        /**
         * Constructs a new LatencyGpu.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.LatencyGpu.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** LatencyGpu index. */
        index: number;

        /** LatencyGpu name. */
        name: string;

        /** LatencyGpu computeCapability. */
        computeCapability: string;

        /** LatencyGpu memoryBytes. */
        memoryBytes: number;

        /** LatencyGpu driverVersion. */
        driverVersion: string;

        /** LatencyGpu driverCudaVersion. */
        driverCudaVersion: string;

        /** LatencyGpu cudaRuntimeVersion. */
        cudaRuntimeVersion: string;

        /** LatencyGpu cudnnVersion. */
        cudnnVersion: string;

        /** LatencyGpu cublasVersion. */
        cublasVersion: string;

        /** LatencyGpu precision. */
        precision: string;

        /** LatencyGpu timing. */
        timing: string;

        /**
         * Creates a new LatencyGpu instance using the specified properties.
         * @param [properties] Properties to set
         * @returns LatencyGpu instance
         */
        static create(properties: prunas.LatencyGpu.$Shape): prunas.LatencyGpu & prunas.LatencyGpu.$Shape;
        static create(properties?: prunas.LatencyGpu.$Properties): prunas.LatencyGpu;

        /**
         * Encodes the specified LatencyGpu message. Does not implicitly {@link prunas.LatencyGpu.verify|verify} messages.
         * @param message LatencyGpu message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.LatencyGpu.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified LatencyGpu message, length delimited. Does not implicitly {@link prunas.LatencyGpu.verify|verify} messages.
         * @param message LatencyGpu message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.LatencyGpu.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LatencyGpu message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.LatencyGpu & prunas.LatencyGpu.$Shape} LatencyGpu
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.LatencyGpu & prunas.LatencyGpu.$Shape;

        /**
         * Decodes a LatencyGpu message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.LatencyGpu & prunas.LatencyGpu.$Shape} LatencyGpu
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.LatencyGpu & prunas.LatencyGpu.$Shape;

        /**
         * Verifies a LatencyGpu message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a LatencyGpu message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns LatencyGpu
         */
        static fromObject(object: { [k: string]: any }): prunas.LatencyGpu;

        /**
         * Creates a plain object from a LatencyGpu message. Also converts values to other types if specified.
         * @param message LatencyGpu
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.LatencyGpu, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this LatencyGpu to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for LatencyGpu
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace LatencyGpu {

        /** Properties of a LatencyGpu. */
        interface $Properties {

            /** LatencyGpu index */
            index?: (number|null);

            /** LatencyGpu name */
            name?: (string|null);

            /** LatencyGpu computeCapability */
            computeCapability?: (string|null);

            /** LatencyGpu memoryBytes */
            memoryBytes?: (number|null);

            /** LatencyGpu driverVersion */
            driverVersion?: (string|null);

            /** LatencyGpu driverCudaVersion */
            driverCudaVersion?: (string|null);

            /** LatencyGpu cudaRuntimeVersion */
            cudaRuntimeVersion?: (string|null);

            /** LatencyGpu cudnnVersion */
            cudnnVersion?: (string|null);

            /** LatencyGpu cublasVersion */
            cublasVersion?: (string|null);

            /** LatencyGpu precision */
            precision?: (string|null);

            /** LatencyGpu timing */
            timing?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a LatencyGpu. */
        type $Shape = prunas.LatencyGpu.$Properties;
    }

    /**
     * Properties of a LatencyEntry.
     * @deprecated Use prunas.LatencyEntry.$Properties instead.
     */
    interface ILatencyEntry extends prunas.LatencyEntry.$Properties {
    }

    /** Represents a LatencyEntry. */
    class LatencyEntry {

        /**
         * Constructs a new LatencyEntry.
         * @param [properties] Properties to set
         */
        constructor(properties?: prunas.LatencyEntry.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** LatencyEntry key. */
        key: string;

        /** LatencyEntry kind. */
        kind: string;

        /** LatencyEntry layer. */
        layer: string;

        /** LatencyEntry candidate. */
        candidate: number;

        /** LatencyEntry inputHeight. */
        inputHeight: number;

        /** LatencyEntry inputWidth. */
        inputWidth: number;

        /** LatencyEntry inputChannels. */
        inputChannels: number;

        /** LatencyEntry outChannels. */
        outChannels: number;

        /** LatencyEntry kernel. */
        kernel: number;

        /** LatencyEntry expand. */
        expand: number;

        /** LatencyEntry stride. */
        stride: number;

        /** LatencyEntry residual. */
        residual: boolean;

        /** LatencyEntry act. */
        act: string;

        /** LatencyEntry medianMs. */
        medianMs: number;

        /** LatencyEntry spreadMs. */
        spreadMs: number;

        /** LatencyEntry minMs. */
        minMs: number;

        /** LatencyEntry repeats. */
        repeats: number;

        /**
         * Creates a new LatencyEntry instance using the specified properties.
         * @param [properties] Properties to set
         * @returns LatencyEntry instance
         */
        static create(properties: prunas.LatencyEntry.$Shape): prunas.LatencyEntry & prunas.LatencyEntry.$Shape;
        static create(properties?: prunas.LatencyEntry.$Properties): prunas.LatencyEntry;

        /**
         * Encodes the specified LatencyEntry message. Does not implicitly {@link prunas.LatencyEntry.verify|verify} messages.
         * @param message LatencyEntry message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: prunas.LatencyEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified LatencyEntry message, length delimited. Does not implicitly {@link prunas.LatencyEntry.verify|verify} messages.
         * @param message LatencyEntry message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: prunas.LatencyEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LatencyEntry message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {prunas.LatencyEntry & prunas.LatencyEntry.$Shape} LatencyEntry
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): prunas.LatencyEntry & prunas.LatencyEntry.$Shape;

        /**
         * Decodes a LatencyEntry message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {prunas.LatencyEntry & prunas.LatencyEntry.$Shape} LatencyEntry
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): prunas.LatencyEntry & prunas.LatencyEntry.$Shape;

        /**
         * Verifies a LatencyEntry message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a LatencyEntry message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns LatencyEntry
         */
        static fromObject(object: { [k: string]: any }): prunas.LatencyEntry;

        /**
         * Creates a plain object from a LatencyEntry message. Also converts values to other types if specified.
         * @param message LatencyEntry
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: prunas.LatencyEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this LatencyEntry to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for LatencyEntry
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace LatencyEntry {

        /** Properties of a LatencyEntry. */
        interface $Properties {

            /** LatencyEntry key */
            key?: (string|null);

            /** LatencyEntry kind */
            kind?: (string|null);

            /** LatencyEntry layer */
            layer?: (string|null);

            /** LatencyEntry candidate */
            candidate?: (number|null);

            /** LatencyEntry inputHeight */
            inputHeight?: (number|null);

            /** LatencyEntry inputWidth */
            inputWidth?: (number|null);

            /** LatencyEntry inputChannels */
            inputChannels?: (number|null);

            /** LatencyEntry outChannels */
            outChannels?: (number|null);

            /** LatencyEntry kernel */
            kernel?: (number|null);

            /** LatencyEntry expand */
            expand?: (number|null);

            /** LatencyEntry stride */
            stride?: (number|null);

            /** LatencyEntry residual */
            residual?: (boolean|null);

            /** LatencyEntry act */
            act?: (string|null);

            /** LatencyEntry medianMs */
            medianMs?: (number|null);

            /** LatencyEntry spreadMs */
            spreadMs?: (number|null);

            /** LatencyEntry minMs */
            minMs?: (number|null);

            /** LatencyEntry repeats */
            repeats?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a LatencyEntry. */
        type $Shape = prunas.LatencyEntry.$Properties;
    }
}
