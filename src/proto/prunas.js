/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Boolean = $util.global.Boolean, $Number = $util.global.Number, $Array = $util.global.Array, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const prunas = $root.prunas = (() => {

    /**
     * Namespace prunas.
     * @exports prunas
     * @namespace
     */
    const prunas = {};

    prunas.ParameterState = (function() {

        /**
         * Properties of a ParameterState.
         * @typedef {Object} prunas.ParameterState.$Properties
         * @property {string|null} [name] ParameterState name
         * @property {Uint8Array|null} [value] ParameterState value
         * @property {Uint8Array|null} [momentum] ParameterState momentum
         * @property {boolean|null} [momentumStarted] ParameterState momentumStarted
         * @property {Uint8Array|null} [adamM] ParameterState adamM
         * @property {Uint8Array|null} [adamV] ParameterState adamV
         * @property {number|null} [adamSteps] ParameterState adamSteps
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a ParameterState.
         * @memberof prunas
         * @interface IParameterState
         * @augments prunas.ParameterState.$Properties
         * @deprecated Use prunas.ParameterState.$Properties instead.
         */

        /**
         * Shape of a ParameterState.
         * @typedef {prunas.ParameterState.$Properties} prunas.ParameterState.$Shape
         */

        /**
         * Constructs a new ParameterState.
         * @memberof prunas
         * @classdesc Represents a ParameterState.
         * @constructor
         * @param {prunas.ParameterState.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const ParameterState = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * ParameterState name.
         * @member {string} name
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.name = "";

        /**
         * ParameterState value.
         * @member {Uint8Array} value
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.value = $util.newBuffer([]);

        /**
         * ParameterState momentum.
         * @member {Uint8Array} momentum
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.momentum = $util.newBuffer([]);

        /**
         * ParameterState momentumStarted.
         * @member {boolean} momentumStarted
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.momentumStarted = false;

        /**
         * ParameterState adamM.
         * @member {Uint8Array} adamM
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.adamM = $util.newBuffer([]);

        /**
         * ParameterState adamV.
         * @member {Uint8Array} adamV
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.adamV = $util.newBuffer([]);

        /**
         * ParameterState adamSteps.
         * @member {number} adamSteps
         * @memberof prunas.ParameterState
         * @instance
         */
        ParameterState.prototype.adamSteps = 0;

        /**
         * Creates a new ParameterState instance using the specified properties.
         * @function create
         * @memberof prunas.ParameterState
         * @static
         * @param {prunas.ParameterState.$Properties=} [properties] Properties to set
         * @returns {prunas.ParameterState} ParameterState instance
         * @type {{
         *   (properties: prunas.ParameterState.$Shape): prunas.ParameterState & prunas.ParameterState.$Shape;
         *   (properties?: prunas.ParameterState.$Properties): prunas.ParameterState;
         * }}
         */
        ParameterState.create = function(properties) {
            return new ParameterState(properties);
        };

        /**
         * Encodes the specified ParameterState message. Does not implicitly {@link prunas.ParameterState.verify|verify} messages.
         * @function encode
         * @memberof prunas.ParameterState
         * @static
         * @param {prunas.ParameterState.$Properties} message ParameterState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ParameterState.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
            if (message.value != null && $Object.hasOwnProperty.call(message, "value") && message.value.length)
                writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.value);
            if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum") && message.momentum.length)
                writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.momentum);
            if (message.momentumStarted != null && $Object.hasOwnProperty.call(message, "momentumStarted") && message.momentumStarted !== false)
                writer.uint32(/* id 4, wireType 0 =*/32).bool(message.momentumStarted);
            if (message.adamM != null && $Object.hasOwnProperty.call(message, "adamM") && message.adamM.length)
                writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.adamM);
            if (message.adamV != null && $Object.hasOwnProperty.call(message, "adamV") && message.adamV.length)
                writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.adamV);
            if (message.adamSteps != null && $Object.hasOwnProperty.call(message, "adamSteps") && message.adamSteps !== 0)
                writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.adamSteps);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified ParameterState message, length delimited. Does not implicitly {@link prunas.ParameterState.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.ParameterState
         * @static
         * @param {prunas.ParameterState.$Properties} message ParameterState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ParameterState.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a ParameterState message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.ParameterState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.ParameterState & prunas.ParameterState.$Shape} ParameterState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ParameterState.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.ParameterState();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.name = value;
                        else
                            delete message.name;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message.value = value;
                        else
                            delete message.value;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message.momentum = value;
                        else
                            delete message.momentum;
                        continue;
                    }
                case 4: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.bool())
                            message.momentumStarted = value;
                        else
                            delete message.momentumStarted;
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message.adamM = value;
                        else
                            delete message.adamM;
                        continue;
                    }
                case 6: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message.adamV = value;
                        else
                            delete message.adamV;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.adamSteps = value;
                        else
                            delete message.adamSteps;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a ParameterState message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.ParameterState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.ParameterState & prunas.ParameterState.$Shape} ParameterState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ParameterState.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a ParameterState message.
         * @function verify
         * @memberof prunas.ParameterState
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        ParameterState.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                if (!$util.isString(message.name))
                    return "name: string expected";
            if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                if (!(message.value && typeof message.value.length === "number" || $util.isString(message.value)))
                    return "value: buffer expected";
            if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum"))
                if (!(message.momentum && typeof message.momentum.length === "number" || $util.isString(message.momentum)))
                    return "momentum: buffer expected";
            if (message.momentumStarted != null && $Object.hasOwnProperty.call(message, "momentumStarted"))
                if (typeof message.momentumStarted !== "boolean")
                    return "momentumStarted: boolean expected";
            if (message.adamM != null && $Object.hasOwnProperty.call(message, "adamM"))
                if (!(message.adamM && typeof message.adamM.length === "number" || $util.isString(message.adamM)))
                    return "adamM: buffer expected";
            if (message.adamV != null && $Object.hasOwnProperty.call(message, "adamV"))
                if (!(message.adamV && typeof message.adamV.length === "number" || $util.isString(message.adamV)))
                    return "adamV: buffer expected";
            if (message.adamSteps != null && $Object.hasOwnProperty.call(message, "adamSteps"))
                if (!$util.isInteger(message.adamSteps))
                    return "adamSteps: integer expected";
            return null;
        };

        /**
         * Creates a ParameterState message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.ParameterState
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.ParameterState} ParameterState
         */
        ParameterState.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.ParameterState)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.ParameterState: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.ParameterState();
            if (object.name != null)
                if (typeof object.name !== "string" || object.name.length)
                    message.name = $String(object.name);
            if (object.value != null)
                if (object.value.length)
                    if (typeof object.value === "string")
                        $util.base64.decode(object.value, message.value = $util.newBuffer($util.base64.length(object.value)), 0);
                    else if (object.value.length >= 0)
                        message.value = object.value;
            if (object.momentum != null)
                if (object.momentum.length)
                    if (typeof object.momentum === "string")
                        $util.base64.decode(object.momentum, message.momentum = $util.newBuffer($util.base64.length(object.momentum)), 0);
                    else if (object.momentum.length >= 0)
                        message.momentum = object.momentum;
            if (object.momentumStarted != null)
                if (object.momentumStarted)
                    message.momentumStarted = $Boolean(object.momentumStarted);
            if (object.adamM != null)
                if (object.adamM.length)
                    if (typeof object.adamM === "string")
                        $util.base64.decode(object.adamM, message.adamM = $util.newBuffer($util.base64.length(object.adamM)), 0);
                    else if (object.adamM.length >= 0)
                        message.adamM = object.adamM;
            if (object.adamV != null)
                if (object.adamV.length)
                    if (typeof object.adamV === "string")
                        $util.base64.decode(object.adamV, message.adamV = $util.newBuffer($util.base64.length(object.adamV)), 0);
                    else if (object.adamV.length >= 0)
                        message.adamV = object.adamV;
            if (object.adamSteps != null)
                if ($Number(object.adamSteps) !== 0)
                    message.adamSteps = object.adamSteps >>> 0;
            return message;
        };

        /**
         * Creates a plain object from a ParameterState message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.ParameterState
         * @static
         * @param {prunas.ParameterState} message ParameterState
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        ParameterState.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.name = "";
                if (options.bytes === $String)
                    object.value = "";
                else {
                    object.value = [];
                    if (options.bytes !== $Array)
                        object.value = $util.newBuffer(object.value);
                }
                if (options.bytes === $String)
                    object.momentum = "";
                else {
                    object.momentum = [];
                    if (options.bytes !== $Array)
                        object.momentum = $util.newBuffer(object.momentum);
                }
                object.momentumStarted = false;
                if (options.bytes === $String)
                    object.adamM = "";
                else {
                    object.adamM = [];
                    if (options.bytes !== $Array)
                        object.adamM = $util.newBuffer(object.adamM);
                }
                if (options.bytes === $String)
                    object.adamV = "";
                else {
                    object.adamV = [];
                    if (options.bytes !== $Array)
                        object.adamV = $util.newBuffer(object.adamV);
                }
                object.adamSteps = 0;
            }
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                object.name = message.name;
            if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                object.value = options.bytes === $String ? $util.base64.encode(message.value, 0, message.value.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.value) : message.value;
            if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum"))
                object.momentum = options.bytes === $String ? $util.base64.encode(message.momentum, 0, message.momentum.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.momentum) : message.momentum;
            if (message.momentumStarted != null && $Object.hasOwnProperty.call(message, "momentumStarted"))
                object.momentumStarted = message.momentumStarted;
            if (message.adamM != null && $Object.hasOwnProperty.call(message, "adamM"))
                object.adamM = options.bytes === $String ? $util.base64.encode(message.adamM, 0, message.adamM.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.adamM) : message.adamM;
            if (message.adamV != null && $Object.hasOwnProperty.call(message, "adamV"))
                object.adamV = options.bytes === $String ? $util.base64.encode(message.adamV, 0, message.adamV.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.adamV) : message.adamV;
            if (message.adamSteps != null && $Object.hasOwnProperty.call(message, "adamSteps"))
                object.adamSteps = message.adamSteps;
            return object;
        };

        /**
         * Converts this ParameterState to JSON.
         * @function toJSON
         * @memberof prunas.ParameterState
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        ParameterState.prototype.toJSON = function() {
            return ParameterState.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for ParameterState
         * @function getTypeUrl
         * @memberof prunas.ParameterState
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        ParameterState.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.ParameterState";
        };

        return ParameterState;
    })();

    prunas.Removal = (function() {

        /**
         * Properties of a Removal.
         * @typedef {Object} prunas.Removal.$Properties
         * @property {number|null} [layer] Removal layer
         * @property {number|null} [candidate] Removal candidate
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Removal.
         * @memberof prunas
         * @interface IRemoval
         * @augments prunas.Removal.$Properties
         * @deprecated Use prunas.Removal.$Properties instead.
         */

        /**
         * Shape of a Removal.
         * @typedef {prunas.Removal.$Properties} prunas.Removal.$Shape
         */

        /**
         * Constructs a new Removal.
         * @memberof prunas
         * @classdesc Represents a Removal.
         * @constructor
         * @param {prunas.Removal.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Removal = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * Removal layer.
         * @member {number} layer
         * @memberof prunas.Removal
         * @instance
         */
        Removal.prototype.layer = 0;

        /**
         * Removal candidate.
         * @member {number} candidate
         * @memberof prunas.Removal
         * @instance
         */
        Removal.prototype.candidate = 0;

        /**
         * Creates a new Removal instance using the specified properties.
         * @function create
         * @memberof prunas.Removal
         * @static
         * @param {prunas.Removal.$Properties=} [properties] Properties to set
         * @returns {prunas.Removal} Removal instance
         * @type {{
         *   (properties: prunas.Removal.$Shape): prunas.Removal & prunas.Removal.$Shape;
         *   (properties?: prunas.Removal.$Properties): prunas.Removal;
         * }}
         */
        Removal.create = function(properties) {
            return new Removal(properties);
        };

        /**
         * Encodes the specified Removal message. Does not implicitly {@link prunas.Removal.verify|verify} messages.
         * @function encode
         * @memberof prunas.Removal
         * @static
         * @param {prunas.Removal.$Properties} message Removal message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Removal.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer") && message.layer !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.layer);
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate") && message.candidate !== 0)
                writer.uint32(/* id 2, wireType 0 =*/16).int32(message.candidate);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified Removal message, length delimited. Does not implicitly {@link prunas.Removal.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.Removal
         * @static
         * @param {prunas.Removal.$Properties} message Removal message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Removal.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a Removal message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.Removal
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.Removal & prunas.Removal.$Shape} Removal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Removal.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.Removal();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.layer = value;
                        else
                            delete message.layer;
                        continue;
                    }
                case 2: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.candidate = value;
                        else
                            delete message.candidate;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a Removal message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.Removal
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.Removal & prunas.Removal.$Shape} Removal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Removal.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a Removal message.
         * @function verify
         * @memberof prunas.Removal
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        Removal.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                if (!$util.isInteger(message.layer))
                    return "layer: integer expected";
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                if (!$util.isInteger(message.candidate))
                    return "candidate: integer expected";
            return null;
        };

        /**
         * Creates a Removal message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.Removal
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.Removal} Removal
         */
        Removal.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.Removal)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.Removal: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.Removal();
            if (object.layer != null)
                if ($Number(object.layer) !== 0)
                    message.layer = object.layer >>> 0;
            if (object.candidate != null)
                if ($Number(object.candidate) !== 0)
                    message.candidate = object.candidate | 0;
            return message;
        };

        /**
         * Creates a plain object from a Removal message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.Removal
         * @static
         * @param {prunas.Removal} message Removal
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        Removal.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.layer = 0;
                object.candidate = 0;
            }
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                object.layer = message.layer;
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                object.candidate = message.candidate;
            return object;
        };

        /**
         * Converts this Removal to JSON.
         * @function toJSON
         * @memberof prunas.Removal
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        Removal.prototype.toJSON = function() {
            return Removal.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for Removal
         * @function getTypeUrl
         * @memberof prunas.Removal
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Removal.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.Removal";
        };

        return Removal;
    })();

    prunas.PrunodeWidth = (function() {

        /**
         * Properties of a PrunodeWidth.
         * @typedef {Object} prunas.PrunodeWidth.$Properties
         * @property {number|null} [layer] PrunodeWidth layer
         * @property {number|null} [candidate] PrunodeWidth candidate
         * @property {number|null} [width] PrunodeWidth width
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PrunodeWidth.
         * @memberof prunas
         * @interface IPrunodeWidth
         * @augments prunas.PrunodeWidth.$Properties
         * @deprecated Use prunas.PrunodeWidth.$Properties instead.
         */

        /**
         * Shape of a PrunodeWidth.
         * @typedef {prunas.PrunodeWidth.$Properties} prunas.PrunodeWidth.$Shape
         */

        /**
         * Constructs a new PrunodeWidth.
         * @memberof prunas
         * @classdesc Represents a PrunodeWidth.
         * @constructor
         * @param {prunas.PrunodeWidth.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PrunodeWidth = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * PrunodeWidth layer.
         * @member {number} layer
         * @memberof prunas.PrunodeWidth
         * @instance
         */
        PrunodeWidth.prototype.layer = 0;

        /**
         * PrunodeWidth candidate.
         * @member {number} candidate
         * @memberof prunas.PrunodeWidth
         * @instance
         */
        PrunodeWidth.prototype.candidate = 0;

        /**
         * PrunodeWidth width.
         * @member {number} width
         * @memberof prunas.PrunodeWidth
         * @instance
         */
        PrunodeWidth.prototype.width = 0;

        /**
         * Creates a new PrunodeWidth instance using the specified properties.
         * @function create
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {prunas.PrunodeWidth.$Properties=} [properties] Properties to set
         * @returns {prunas.PrunodeWidth} PrunodeWidth instance
         * @type {{
         *   (properties: prunas.PrunodeWidth.$Shape): prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape;
         *   (properties?: prunas.PrunodeWidth.$Properties): prunas.PrunodeWidth;
         * }}
         */
        PrunodeWidth.create = function(properties) {
            return new PrunodeWidth(properties);
        };

        /**
         * Encodes the specified PrunodeWidth message. Does not implicitly {@link prunas.PrunodeWidth.verify|verify} messages.
         * @function encode
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {prunas.PrunodeWidth.$Properties} message PrunodeWidth message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PrunodeWidth.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer") && message.layer !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.layer);
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate") && message.candidate !== 0)
                writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.candidate);
            if (message.width != null && $Object.hasOwnProperty.call(message, "width") && message.width !== 0)
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.width);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified PrunodeWidth message, length delimited. Does not implicitly {@link prunas.PrunodeWidth.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {prunas.PrunodeWidth.$Properties} message PrunodeWidth message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PrunodeWidth.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a PrunodeWidth message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape} PrunodeWidth
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PrunodeWidth.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.PrunodeWidth();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.layer = value;
                        else
                            delete message.layer;
                        continue;
                    }
                case 2: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.candidate = value;
                        else
                            delete message.candidate;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.width = value;
                        else
                            delete message.width;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a PrunodeWidth message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.PrunodeWidth & prunas.PrunodeWidth.$Shape} PrunodeWidth
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PrunodeWidth.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a PrunodeWidth message.
         * @function verify
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        PrunodeWidth.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                if (!$util.isInteger(message.layer))
                    return "layer: integer expected";
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                if (!$util.isInteger(message.candidate))
                    return "candidate: integer expected";
            if (message.width != null && $Object.hasOwnProperty.call(message, "width"))
                if (!$util.isInteger(message.width))
                    return "width: integer expected";
            return null;
        };

        /**
         * Creates a PrunodeWidth message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.PrunodeWidth} PrunodeWidth
         */
        PrunodeWidth.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.PrunodeWidth)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.PrunodeWidth: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.PrunodeWidth();
            if (object.layer != null)
                if ($Number(object.layer) !== 0)
                    message.layer = object.layer >>> 0;
            if (object.candidate != null)
                if ($Number(object.candidate) !== 0)
                    message.candidate = object.candidate >>> 0;
            if (object.width != null)
                if ($Number(object.width) !== 0)
                    message.width = object.width >>> 0;
            return message;
        };

        /**
         * Creates a plain object from a PrunodeWidth message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {prunas.PrunodeWidth} message PrunodeWidth
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        PrunodeWidth.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.layer = 0;
                object.candidate = 0;
                object.width = 0;
            }
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                object.layer = message.layer;
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                object.candidate = message.candidate;
            if (message.width != null && $Object.hasOwnProperty.call(message, "width"))
                object.width = message.width;
            return object;
        };

        /**
         * Converts this PrunodeWidth to JSON.
         * @function toJSON
         * @memberof prunas.PrunodeWidth
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        PrunodeWidth.prototype.toJSON = function() {
            return PrunodeWidth.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for PrunodeWidth
         * @function getTypeUrl
         * @memberof prunas.PrunodeWidth
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PrunodeWidth.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.PrunodeWidth";
        };

        return PrunodeWidth;
    })();

    prunas.BatchnormState = (function() {

        /**
         * Properties of a BatchnormState.
         * @typedef {Object} prunas.BatchnormState.$Properties
         * @property {Uint8Array|null} [mean] BatchnormState mean
         * @property {Uint8Array|null} ["var"] BatchnormState var
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a BatchnormState.
         * @memberof prunas
         * @interface IBatchnormState
         * @augments prunas.BatchnormState.$Properties
         * @deprecated Use prunas.BatchnormState.$Properties instead.
         */

        /**
         * Shape of a BatchnormState.
         * @typedef {prunas.BatchnormState.$Properties} prunas.BatchnormState.$Shape
         */

        /**
         * Constructs a new BatchnormState.
         * @memberof prunas
         * @classdesc Represents a BatchnormState.
         * @constructor
         * @param {prunas.BatchnormState.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const BatchnormState = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * BatchnormState mean.
         * @member {Uint8Array} mean
         * @memberof prunas.BatchnormState
         * @instance
         */
        BatchnormState.prototype.mean = $util.newBuffer([]);

        /**
         * BatchnormState var.
         * @member {Uint8Array} var
         * @memberof prunas.BatchnormState
         * @instance
         */
        BatchnormState.prototype["var"] = $util.newBuffer([]);

        /**
         * Creates a new BatchnormState instance using the specified properties.
         * @function create
         * @memberof prunas.BatchnormState
         * @static
         * @param {prunas.BatchnormState.$Properties=} [properties] Properties to set
         * @returns {prunas.BatchnormState} BatchnormState instance
         * @type {{
         *   (properties: prunas.BatchnormState.$Shape): prunas.BatchnormState & prunas.BatchnormState.$Shape;
         *   (properties?: prunas.BatchnormState.$Properties): prunas.BatchnormState;
         * }}
         */
        BatchnormState.create = function(properties) {
            return new BatchnormState(properties);
        };

        /**
         * Encodes the specified BatchnormState message. Does not implicitly {@link prunas.BatchnormState.verify|verify} messages.
         * @function encode
         * @memberof prunas.BatchnormState
         * @static
         * @param {prunas.BatchnormState.$Properties} message BatchnormState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        BatchnormState.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.mean != null && $Object.hasOwnProperty.call(message, "mean") && message.mean.length)
                writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.mean);
            if (message["var"] != null && $Object.hasOwnProperty.call(message, "var") && message["var"].length)
                writer.uint32(/* id 2, wireType 2 =*/18).bytes(message["var"]);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified BatchnormState message, length delimited. Does not implicitly {@link prunas.BatchnormState.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.BatchnormState
         * @static
         * @param {prunas.BatchnormState.$Properties} message BatchnormState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        BatchnormState.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a BatchnormState message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.BatchnormState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.BatchnormState & prunas.BatchnormState.$Shape} BatchnormState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        BatchnormState.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.BatchnormState();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message.mean = value;
                        else
                            delete message.mean;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.bytes()).length)
                            message["var"] = value;
                        else
                            delete message["var"];
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a BatchnormState message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.BatchnormState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.BatchnormState & prunas.BatchnormState.$Shape} BatchnormState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        BatchnormState.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a BatchnormState message.
         * @function verify
         * @memberof prunas.BatchnormState
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        BatchnormState.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.mean != null && $Object.hasOwnProperty.call(message, "mean"))
                if (!(message.mean && typeof message.mean.length === "number" || $util.isString(message.mean)))
                    return "mean: buffer expected";
            if (message["var"] != null && $Object.hasOwnProperty.call(message, "var"))
                if (!(message["var"] && typeof message["var"].length === "number" || $util.isString(message["var"])))
                    return "var: buffer expected";
            return null;
        };

        /**
         * Creates a BatchnormState message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.BatchnormState
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.BatchnormState} BatchnormState
         */
        BatchnormState.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.BatchnormState)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.BatchnormState: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.BatchnormState();
            if (object.mean != null)
                if (object.mean.length)
                    if (typeof object.mean === "string")
                        $util.base64.decode(object.mean, message.mean = $util.newBuffer($util.base64.length(object.mean)), 0);
                    else if (object.mean.length >= 0)
                        message.mean = object.mean;
            if (object["var"] != null)
                if (object["var"].length)
                    if (typeof object["var"] === "string")
                        $util.base64.decode(object["var"], message["var"] = $util.newBuffer($util.base64.length(object["var"])), 0);
                    else if (object["var"].length >= 0)
                        message["var"] = object["var"];
            return message;
        };

        /**
         * Creates a plain object from a BatchnormState message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.BatchnormState
         * @static
         * @param {prunas.BatchnormState} message BatchnormState
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        BatchnormState.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                if (options.bytes === $String)
                    object.mean = "";
                else {
                    object.mean = [];
                    if (options.bytes !== $Array)
                        object.mean = $util.newBuffer(object.mean);
                }
                if (options.bytes === $String)
                    object["var"] = "";
                else {
                    object["var"] = [];
                    if (options.bytes !== $Array)
                        object["var"] = $util.newBuffer(object["var"]);
                }
            }
            if (message.mean != null && $Object.hasOwnProperty.call(message, "mean"))
                object.mean = options.bytes === $String ? $util.base64.encode(message.mean, 0, message.mean.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.mean) : message.mean;
            if (message["var"] != null && $Object.hasOwnProperty.call(message, "var"))
                object["var"] = options.bytes === $String ? $util.base64.encode(message["var"], 0, message["var"].length) : options.bytes === $Array ? $Array.prototype.slice.call(message["var"]) : message["var"];
            return object;
        };

        /**
         * Converts this BatchnormState to JSON.
         * @function toJSON
         * @memberof prunas.BatchnormState
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        BatchnormState.prototype.toJSON = function() {
            return BatchnormState.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for BatchnormState
         * @function getTypeUrl
         * @memberof prunas.BatchnormState
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        BatchnormState.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.BatchnormState";
        };

        return BatchnormState;
    })();

    prunas.Checkpoint = (function() {

        /**
         * Properties of a Checkpoint.
         * @typedef {Object} prunas.Checkpoint.$Properties
         * @property {number|null} [formatVersion] Checkpoint formatVersion
         * @property {string|null} [spaceJson] Checkpoint spaceJson
         * @property {string|null} [architectureJson] Checkpoint architectureJson
         * @property {string|null} [configJson] Checkpoint configJson
         * @property {number|null} [epochsDone] Checkpoint epochsDone
         * @property {number|null} [stepsDone] Checkpoint stepsDone
         * @property {Array.<prunas.ParameterState.$Properties>|null} [parameters] Checkpoint parameters
         * @property {Array.<prunas.BatchnormState.$Properties>|null} [batchnorm] Checkpoint batchnorm
         * @property {string|null} [historyJson] Checkpoint historyJson
         * @property {Array.<prunas.Removal.$Properties>|null} [removed] Checkpoint removed
         * @property {string|null} [strategyJson] Checkpoint strategyJson
         * @property {number|Long|null} [unitsDone] Checkpoint unitsDone
         * @property {Array.<prunas.PrunodeWidth.$Properties>|null} [prunodeWidths] Checkpoint prunodeWidths
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Checkpoint.
         * @memberof prunas
         * @interface ICheckpoint
         * @augments prunas.Checkpoint.$Properties
         * @deprecated Use prunas.Checkpoint.$Properties instead.
         */

        /**
         * Shape of a Checkpoint.
         * @typedef {prunas.Checkpoint.$Properties} prunas.Checkpoint.$Shape
         */

        /**
         * Constructs a new Checkpoint.
         * @memberof prunas
         * @classdesc Represents a Checkpoint.
         * @constructor
         * @param {prunas.Checkpoint.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Checkpoint = function (properties) {
            this.parameters = [];
            this.batchnorm = [];
            this.removed = [];
            this.prunodeWidths = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * Checkpoint formatVersion.
         * @member {number} formatVersion
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.formatVersion = 0;

        /**
         * Checkpoint spaceJson.
         * @member {string} spaceJson
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.spaceJson = "";

        /**
         * Checkpoint architectureJson.
         * @member {string} architectureJson
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.architectureJson = "";

        /**
         * Checkpoint configJson.
         * @member {string} configJson
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.configJson = "";

        /**
         * Checkpoint epochsDone.
         * @member {number} epochsDone
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.epochsDone = 0;

        /**
         * Checkpoint stepsDone.
         * @member {number} stepsDone
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.stepsDone = 0;

        /**
         * Checkpoint parameters.
         * @member {Array.<prunas.ParameterState.$Properties>} parameters
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.parameters = $util.emptyArray;

        /**
         * Checkpoint batchnorm.
         * @member {Array.<prunas.BatchnormState.$Properties>} batchnorm
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.batchnorm = $util.emptyArray;

        /**
         * Checkpoint historyJson.
         * @member {string} historyJson
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.historyJson = "";

        /**
         * Checkpoint removed.
         * @member {Array.<prunas.Removal.$Properties>} removed
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.removed = $util.emptyArray;

        /**
         * Checkpoint strategyJson.
         * @member {string} strategyJson
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.strategyJson = "";

        /**
         * Checkpoint unitsDone.
         * @member {number|Long} unitsDone
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.unitsDone = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Checkpoint prunodeWidths.
         * @member {Array.<prunas.PrunodeWidth.$Properties>} prunodeWidths
         * @memberof prunas.Checkpoint
         * @instance
         */
        Checkpoint.prototype.prunodeWidths = $util.emptyArray;

        /**
         * Creates a new Checkpoint instance using the specified properties.
         * @function create
         * @memberof prunas.Checkpoint
         * @static
         * @param {prunas.Checkpoint.$Properties=} [properties] Properties to set
         * @returns {prunas.Checkpoint} Checkpoint instance
         * @type {{
         *   (properties: prunas.Checkpoint.$Shape): prunas.Checkpoint & prunas.Checkpoint.$Shape;
         *   (properties?: prunas.Checkpoint.$Properties): prunas.Checkpoint;
         * }}
         */
        Checkpoint.create = function(properties) {
            return new Checkpoint(properties);
        };

        /**
         * Encodes the specified Checkpoint message. Does not implicitly {@link prunas.Checkpoint.verify|verify} messages.
         * @function encode
         * @memberof prunas.Checkpoint
         * @static
         * @param {prunas.Checkpoint.$Properties} message Checkpoint message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Checkpoint.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion") && message.formatVersion !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.formatVersion);
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson") && message.spaceJson !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.spaceJson);
            if (message.architectureJson != null && $Object.hasOwnProperty.call(message, "architectureJson") && message.architectureJson !== "")
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.architectureJson);
            if (message.configJson != null && $Object.hasOwnProperty.call(message, "configJson") && message.configJson !== "")
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.configJson);
            if (message.epochsDone != null && $Object.hasOwnProperty.call(message, "epochsDone") && message.epochsDone !== 0)
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.epochsDone);
            if (message.stepsDone != null && $Object.hasOwnProperty.call(message, "stepsDone") && message.stepsDone !== 0)
                writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.stepsDone);
            if (message.parameters != null && message.parameters.length)
                for (let i = 0; i < message.parameters.length; ++i)
                    $root.prunas.ParameterState.encode(message.parameters[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
            if (message.batchnorm != null && message.batchnorm.length)
                for (let i = 0; i < message.batchnorm.length; ++i)
                    $root.prunas.BatchnormState.encode(message.batchnorm[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
            if (message.historyJson != null && $Object.hasOwnProperty.call(message, "historyJson") && message.historyJson !== "")
                writer.uint32(/* id 9, wireType 2 =*/74).string(message.historyJson);
            if (message.removed != null && message.removed.length)
                for (let i = 0; i < message.removed.length; ++i)
                    $root.prunas.Removal.encode(message.removed[i], writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
            if (message.strategyJson != null && $Object.hasOwnProperty.call(message, "strategyJson") && message.strategyJson !== "")
                writer.uint32(/* id 11, wireType 2 =*/90).string(message.strategyJson);
            if (message.unitsDone != null && $Object.hasOwnProperty.call(message, "unitsDone") && (typeof message.unitsDone === "object" ? message.unitsDone.low || message.unitsDone.high : message.unitsDone !== 0))
                writer.uint32(/* id 12, wireType 0 =*/96).uint64(message.unitsDone);
            if (message.prunodeWidths != null && message.prunodeWidths.length)
                for (let i = 0; i < message.prunodeWidths.length; ++i)
                    $root.prunas.PrunodeWidth.encode(message.prunodeWidths[i], writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified Checkpoint message, length delimited. Does not implicitly {@link prunas.Checkpoint.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.Checkpoint
         * @static
         * @param {prunas.Checkpoint.$Properties} message Checkpoint message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Checkpoint.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a Checkpoint message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.Checkpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.Checkpoint & prunas.Checkpoint.$Shape} Checkpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Checkpoint.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.Checkpoint();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.formatVersion = value;
                        else
                            delete message.formatVersion;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.spaceJson = value;
                        else
                            delete message.spaceJson;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.architectureJson = value;
                        else
                            delete message.architectureJson;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.configJson = value;
                        else
                            delete message.configJson;
                        continue;
                    }
                case 5: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.epochsDone = value;
                        else
                            delete message.epochsDone;
                        continue;
                    }
                case 6: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.stepsDone = value;
                        else
                            delete message.stepsDone;
                        continue;
                    }
                case 7: {
                        if (wireType !== 2)
                            break;
                        if (!(message.parameters && message.parameters.length))
                            message.parameters = [];
                        message.parameters.push($root.prunas.ParameterState.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        if (!(message.batchnorm && message.batchnorm.length))
                            message.batchnorm = [];
                        message.batchnorm.push($root.prunas.BatchnormState.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                case 9: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.historyJson = value;
                        else
                            delete message.historyJson;
                        continue;
                    }
                case 10: {
                        if (wireType !== 2)
                            break;
                        if (!(message.removed && message.removed.length))
                            message.removed = [];
                        message.removed.push($root.prunas.Removal.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                case 11: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.strategyJson = value;
                        else
                            delete message.strategyJson;
                        continue;
                    }
                case 12: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                            message.unitsDone = value;
                        else
                            delete message.unitsDone;
                        continue;
                    }
                case 13: {
                        if (wireType !== 2)
                            break;
                        if (!(message.prunodeWidths && message.prunodeWidths.length))
                            message.prunodeWidths = [];
                        message.prunodeWidths.push($root.prunas.PrunodeWidth.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a Checkpoint message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.Checkpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.Checkpoint & prunas.Checkpoint.$Shape} Checkpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Checkpoint.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a Checkpoint message.
         * @function verify
         * @memberof prunas.Checkpoint
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        Checkpoint.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion"))
                if (!$util.isInteger(message.formatVersion))
                    return "formatVersion: integer expected";
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson"))
                if (!$util.isString(message.spaceJson))
                    return "spaceJson: string expected";
            if (message.architectureJson != null && $Object.hasOwnProperty.call(message, "architectureJson"))
                if (!$util.isString(message.architectureJson))
                    return "architectureJson: string expected";
            if (message.configJson != null && $Object.hasOwnProperty.call(message, "configJson"))
                if (!$util.isString(message.configJson))
                    return "configJson: string expected";
            if (message.epochsDone != null && $Object.hasOwnProperty.call(message, "epochsDone"))
                if (!$util.isInteger(message.epochsDone))
                    return "epochsDone: integer expected";
            if (message.stepsDone != null && $Object.hasOwnProperty.call(message, "stepsDone"))
                if (!$util.isInteger(message.stepsDone))
                    return "stepsDone: integer expected";
            if (message.parameters != null && $Object.hasOwnProperty.call(message, "parameters")) {
                if (!$Array.isArray(message.parameters))
                    return "parameters: array expected";
                for (let i = 0; i < message.parameters.length; ++i) {
                    let error = $root.prunas.ParameterState.verify(message.parameters[i], _depth + 1);
                    if (error)
                        return "parameters." + error;
                }
            }
            if (message.batchnorm != null && $Object.hasOwnProperty.call(message, "batchnorm")) {
                if (!$Array.isArray(message.batchnorm))
                    return "batchnorm: array expected";
                for (let i = 0; i < message.batchnorm.length; ++i) {
                    let error = $root.prunas.BatchnormState.verify(message.batchnorm[i], _depth + 1);
                    if (error)
                        return "batchnorm." + error;
                }
            }
            if (message.historyJson != null && $Object.hasOwnProperty.call(message, "historyJson"))
                if (!$util.isString(message.historyJson))
                    return "historyJson: string expected";
            if (message.removed != null && $Object.hasOwnProperty.call(message, "removed")) {
                if (!$Array.isArray(message.removed))
                    return "removed: array expected";
                for (let i = 0; i < message.removed.length; ++i) {
                    let error = $root.prunas.Removal.verify(message.removed[i], _depth + 1);
                    if (error)
                        return "removed." + error;
                }
            }
            if (message.strategyJson != null && $Object.hasOwnProperty.call(message, "strategyJson"))
                if (!$util.isString(message.strategyJson))
                    return "strategyJson: string expected";
            if (message.unitsDone != null && $Object.hasOwnProperty.call(message, "unitsDone"))
                if (!$util.isInteger(message.unitsDone) && !(message.unitsDone && $util.isInteger(message.unitsDone.low) && $util.isInteger(message.unitsDone.high)))
                    return "unitsDone: integer|Long expected";
            if (message.prunodeWidths != null && $Object.hasOwnProperty.call(message, "prunodeWidths")) {
                if (!$Array.isArray(message.prunodeWidths))
                    return "prunodeWidths: array expected";
                for (let i = 0; i < message.prunodeWidths.length; ++i) {
                    let error = $root.prunas.PrunodeWidth.verify(message.prunodeWidths[i], _depth + 1);
                    if (error)
                        return "prunodeWidths." + error;
                }
            }
            return null;
        };

        /**
         * Creates a Checkpoint message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.Checkpoint
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.Checkpoint} Checkpoint
         */
        Checkpoint.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.Checkpoint)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.Checkpoint: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.Checkpoint();
            if (object.formatVersion != null)
                if ($Number(object.formatVersion) !== 0)
                    message.formatVersion = object.formatVersion >>> 0;
            if (object.spaceJson != null)
                if (typeof object.spaceJson !== "string" || object.spaceJson.length)
                    message.spaceJson = $String(object.spaceJson);
            if (object.architectureJson != null)
                if (typeof object.architectureJson !== "string" || object.architectureJson.length)
                    message.architectureJson = $String(object.architectureJson);
            if (object.configJson != null)
                if (typeof object.configJson !== "string" || object.configJson.length)
                    message.configJson = $String(object.configJson);
            if (object.epochsDone != null)
                if ($Number(object.epochsDone) !== 0)
                    message.epochsDone = object.epochsDone >>> 0;
            if (object.stepsDone != null)
                if ($Number(object.stepsDone) !== 0)
                    message.stepsDone = object.stepsDone >>> 0;
            if (object.parameters) {
                if (!$Array.isArray(object.parameters))
                    throw $TypeError(".prunas.Checkpoint.parameters: array expected");
                message.parameters = $Array(object.parameters.length);
                for (let i = 0; i < object.parameters.length; ++i) {
                    if (!$util.isObject(object.parameters[i]))
                        throw $TypeError(".prunas.Checkpoint.parameters: object expected");
                    message.parameters[i] = $root.prunas.ParameterState.fromObject(object.parameters[i], _depth + 1);
                }
            }
            if (object.batchnorm) {
                if (!$Array.isArray(object.batchnorm))
                    throw $TypeError(".prunas.Checkpoint.batchnorm: array expected");
                message.batchnorm = $Array(object.batchnorm.length);
                for (let i = 0; i < object.batchnorm.length; ++i) {
                    if (!$util.isObject(object.batchnorm[i]))
                        throw $TypeError(".prunas.Checkpoint.batchnorm: object expected");
                    message.batchnorm[i] = $root.prunas.BatchnormState.fromObject(object.batchnorm[i], _depth + 1);
                }
            }
            if (object.historyJson != null)
                if (typeof object.historyJson !== "string" || object.historyJson.length)
                    message.historyJson = $String(object.historyJson);
            if (object.removed) {
                if (!$Array.isArray(object.removed))
                    throw $TypeError(".prunas.Checkpoint.removed: array expected");
                message.removed = $Array(object.removed.length);
                for (let i = 0; i < object.removed.length; ++i) {
                    if (!$util.isObject(object.removed[i]))
                        throw $TypeError(".prunas.Checkpoint.removed: object expected");
                    message.removed[i] = $root.prunas.Removal.fromObject(object.removed[i], _depth + 1);
                }
            }
            if (object.strategyJson != null)
                if (typeof object.strategyJson !== "string" || object.strategyJson.length)
                    message.strategyJson = $String(object.strategyJson);
            if (object.unitsDone != null)
                if (typeof object.unitsDone === "object" ? object.unitsDone.low || object.unitsDone.high : $Number(object.unitsDone) !== 0)
                    if ($util.Long)
                        message.unitsDone = $util.Long.fromValue(object.unitsDone, true);
                    else if (typeof object.unitsDone === "string")
                        message.unitsDone = $parseInt(object.unitsDone, 10);
                    else if (typeof object.unitsDone === "number")
                        message.unitsDone = object.unitsDone;
                    else if (typeof object.unitsDone === "object")
                        message.unitsDone = new $util.LongBits(object.unitsDone.low >>> 0, object.unitsDone.high >>> 0).toNumber(true);
            if (object.prunodeWidths) {
                if (!$Array.isArray(object.prunodeWidths))
                    throw $TypeError(".prunas.Checkpoint.prunodeWidths: array expected");
                message.prunodeWidths = $Array(object.prunodeWidths.length);
                for (let i = 0; i < object.prunodeWidths.length; ++i) {
                    if (!$util.isObject(object.prunodeWidths[i]))
                        throw $TypeError(".prunas.Checkpoint.prunodeWidths: object expected");
                    message.prunodeWidths[i] = $root.prunas.PrunodeWidth.fromObject(object.prunodeWidths[i], _depth + 1);
                }
            }
            return message;
        };

        /**
         * Creates a plain object from a Checkpoint message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.Checkpoint
         * @static
         * @param {prunas.Checkpoint} message Checkpoint
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        Checkpoint.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.arrays || options.defaults) {
                object.parameters = [];
                object.batchnorm = [];
                object.removed = [];
                object.prunodeWidths = [];
            }
            if (options.defaults) {
                object.formatVersion = 0;
                object.spaceJson = "";
                object.architectureJson = "";
                object.configJson = "";
                object.epochsDone = 0;
                object.stepsDone = 0;
                object.historyJson = "";
                object.strategyJson = "";
                if ($util.Long) {
                    let long = new $util.Long(0, 0, true);
                    object.unitsDone = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.unitsDone = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
            }
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion"))
                object.formatVersion = message.formatVersion;
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson"))
                object.spaceJson = message.spaceJson;
            if (message.architectureJson != null && $Object.hasOwnProperty.call(message, "architectureJson"))
                object.architectureJson = message.architectureJson;
            if (message.configJson != null && $Object.hasOwnProperty.call(message, "configJson"))
                object.configJson = message.configJson;
            if (message.epochsDone != null && $Object.hasOwnProperty.call(message, "epochsDone"))
                object.epochsDone = message.epochsDone;
            if (message.stepsDone != null && $Object.hasOwnProperty.call(message, "stepsDone"))
                object.stepsDone = message.stepsDone;
            if (message.parameters && message.parameters.length) {
                object.parameters = $Array(message.parameters.length);
                for (let j = 0; j < message.parameters.length; ++j)
                    object.parameters[j] = $root.prunas.ParameterState.toObject(message.parameters[j], options, _depth + 1);
            }
            if (message.batchnorm && message.batchnorm.length) {
                object.batchnorm = $Array(message.batchnorm.length);
                for (let j = 0; j < message.batchnorm.length; ++j)
                    object.batchnorm[j] = $root.prunas.BatchnormState.toObject(message.batchnorm[j], options, _depth + 1);
            }
            if (message.historyJson != null && $Object.hasOwnProperty.call(message, "historyJson"))
                object.historyJson = message.historyJson;
            if (message.removed && message.removed.length) {
                object.removed = $Array(message.removed.length);
                for (let j = 0; j < message.removed.length; ++j)
                    object.removed[j] = $root.prunas.Removal.toObject(message.removed[j], options, _depth + 1);
            }
            if (message.strategyJson != null && $Object.hasOwnProperty.call(message, "strategyJson"))
                object.strategyJson = message.strategyJson;
            if (message.unitsDone != null && $Object.hasOwnProperty.call(message, "unitsDone"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.unitsDone = typeof message.unitsDone === "number" ? $BigInt(message.unitsDone) : $util.Long.fromBits(message.unitsDone.low >>> 0, message.unitsDone.high >>> 0, true).toBigInt();
                else if (typeof message.unitsDone === "number")
                    object.unitsDone = options.longs === $String ? $String(message.unitsDone) : message.unitsDone;
                else
                    object.unitsDone = options.longs === $String ? $util.Long.prototype.toString.call(message.unitsDone) : options.longs === $Number ? new $util.LongBits(message.unitsDone.low >>> 0, message.unitsDone.high >>> 0).toNumber(true) : message.unitsDone;
            if (message.prunodeWidths && message.prunodeWidths.length) {
                object.prunodeWidths = $Array(message.prunodeWidths.length);
                for (let j = 0; j < message.prunodeWidths.length; ++j)
                    object.prunodeWidths[j] = $root.prunas.PrunodeWidth.toObject(message.prunodeWidths[j], options, _depth + 1);
            }
            return object;
        };

        /**
         * Converts this Checkpoint to JSON.
         * @function toJSON
         * @memberof prunas.Checkpoint
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        Checkpoint.prototype.toJSON = function() {
            return Checkpoint.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for Checkpoint
         * @function getTypeUrl
         * @memberof prunas.Checkpoint
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Checkpoint.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.Checkpoint";
        };

        return Checkpoint;
    })();

    prunas.LatencyTable = (function() {

        /**
         * Properties of a LatencyTable.
         * @typedef {Object} prunas.LatencyTable.$Properties
         * @property {number|null} [formatVersion] LatencyTable formatVersion
         * @property {string|null} [spaceName] LatencyTable spaceName
         * @property {string|null} [spaceJson] LatencyTable spaceJson
         * @property {prunas.LatencyDevice.$Properties|null} [device] LatencyTable device
         * @property {number|null} [batch] LatencyTable batch
         * @property {string|null} [dtype] LatencyTable dtype
         * @property {string|null} [prunasVersion] LatencyTable prunasVersion
         * @property {string|null} [nodeVersion] LatencyTable nodeVersion
         * @property {string|null} [napiVersion] LatencyTable napiVersion
         * @property {string|null} [date] LatencyTable date
         * @property {number|null} [warmup] LatencyTable warmup
         * @property {number|null} [repeats] LatencyTable repeats
         * @property {Array.<prunas.LatencyEntry.$Properties>|null} [entries] LatencyTable entries
         * @property {number|null} [loadAverage] LatencyTable loadAverage
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a LatencyTable.
         * @memberof prunas
         * @interface ILatencyTable
         * @augments prunas.LatencyTable.$Properties
         * @deprecated Use prunas.LatencyTable.$Properties instead.
         */

        /**
         * Shape of a LatencyTable.
         * @typedef {prunas.LatencyTable.$Properties} prunas.LatencyTable.$Shape
         */

        /**
         * Constructs a new LatencyTable.
         * @memberof prunas
         * @classdesc Represents a LatencyTable.
         * @constructor
         * @param {prunas.LatencyTable.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const LatencyTable = function (properties) {
            this.entries = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * LatencyTable formatVersion.
         * @member {number} formatVersion
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.formatVersion = 0;

        /**
         * LatencyTable spaceName.
         * @member {string} spaceName
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.spaceName = "";

        /**
         * LatencyTable spaceJson.
         * @member {string} spaceJson
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.spaceJson = "";

        /**
         * LatencyTable device.
         * @member {prunas.LatencyDevice.$Properties|null|undefined} device
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.device = null;

        /**
         * LatencyTable batch.
         * @member {number} batch
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.batch = 0;

        /**
         * LatencyTable dtype.
         * @member {string} dtype
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.dtype = "";

        /**
         * LatencyTable prunasVersion.
         * @member {string} prunasVersion
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.prunasVersion = "";

        /**
         * LatencyTable nodeVersion.
         * @member {string} nodeVersion
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.nodeVersion = "";

        /**
         * LatencyTable napiVersion.
         * @member {string} napiVersion
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.napiVersion = "";

        /**
         * LatencyTable date.
         * @member {string} date
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.date = "";

        /**
         * LatencyTable warmup.
         * @member {number} warmup
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.warmup = 0;

        /**
         * LatencyTable repeats.
         * @member {number} repeats
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.repeats = 0;

        /**
         * LatencyTable entries.
         * @member {Array.<prunas.LatencyEntry.$Properties>} entries
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.entries = $util.emptyArray;

        /**
         * LatencyTable loadAverage.
         * @member {number} loadAverage
         * @memberof prunas.LatencyTable
         * @instance
         */
        LatencyTable.prototype.loadAverage = 0;

        /**
         * Creates a new LatencyTable instance using the specified properties.
         * @function create
         * @memberof prunas.LatencyTable
         * @static
         * @param {prunas.LatencyTable.$Properties=} [properties] Properties to set
         * @returns {prunas.LatencyTable} LatencyTable instance
         * @type {{
         *   (properties: prunas.LatencyTable.$Shape): prunas.LatencyTable & prunas.LatencyTable.$Shape;
         *   (properties?: prunas.LatencyTable.$Properties): prunas.LatencyTable;
         * }}
         */
        LatencyTable.create = function(properties) {
            return new LatencyTable(properties);
        };

        /**
         * Encodes the specified LatencyTable message. Does not implicitly {@link prunas.LatencyTable.verify|verify} messages.
         * @function encode
         * @memberof prunas.LatencyTable
         * @static
         * @param {prunas.LatencyTable.$Properties} message LatencyTable message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyTable.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion") && message.formatVersion !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.formatVersion);
            if (message.spaceName != null && $Object.hasOwnProperty.call(message, "spaceName") && message.spaceName !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.spaceName);
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson") && message.spaceJson !== "")
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.spaceJson);
            if (message.device != null && $Object.hasOwnProperty.call(message, "device"))
                $root.prunas.LatencyDevice.encode(message.device, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
            if (message.batch != null && $Object.hasOwnProperty.call(message, "batch") && message.batch !== 0)
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.batch);
            if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype") && message.dtype !== "")
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.dtype);
            if (message.prunasVersion != null && $Object.hasOwnProperty.call(message, "prunasVersion") && message.prunasVersion !== "")
                writer.uint32(/* id 7, wireType 2 =*/58).string(message.prunasVersion);
            if (message.nodeVersion != null && $Object.hasOwnProperty.call(message, "nodeVersion") && message.nodeVersion !== "")
                writer.uint32(/* id 8, wireType 2 =*/66).string(message.nodeVersion);
            if (message.napiVersion != null && $Object.hasOwnProperty.call(message, "napiVersion") && message.napiVersion !== "")
                writer.uint32(/* id 9, wireType 2 =*/74).string(message.napiVersion);
            if (message.date != null && $Object.hasOwnProperty.call(message, "date") && message.date !== "")
                writer.uint32(/* id 10, wireType 2 =*/82).string(message.date);
            if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup") && message.warmup !== 0)
                writer.uint32(/* id 11, wireType 0 =*/88).uint32(message.warmup);
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats") && message.repeats !== 0)
                writer.uint32(/* id 12, wireType 0 =*/96).uint32(message.repeats);
            if (message.entries != null && message.entries.length)
                for (let i = 0; i < message.entries.length; ++i)
                    $root.prunas.LatencyEntry.encode(message.entries[i], writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
            if (message.loadAverage != null && $Object.hasOwnProperty.call(message, "loadAverage") && !$Object.is(message.loadAverage, 0))
                writer.uint32(/* id 14, wireType 1 =*/113).double(message.loadAverage);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified LatencyTable message, length delimited. Does not implicitly {@link prunas.LatencyTable.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.LatencyTable
         * @static
         * @param {prunas.LatencyTable.$Properties} message LatencyTable message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyTable.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a LatencyTable message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.LatencyTable
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.LatencyTable & prunas.LatencyTable.$Shape} LatencyTable
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyTable.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.LatencyTable();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.formatVersion = value;
                        else
                            delete message.formatVersion;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.spaceName = value;
                        else
                            delete message.spaceName;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.spaceJson = value;
                        else
                            delete message.spaceJson;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        message.device = $root.prunas.LatencyDevice.decode(reader, reader.size(), $undefined, _depth + 1, message.device);
                        continue;
                    }
                case 5: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.batch = value;
                        else
                            delete message.batch;
                        continue;
                    }
                case 6: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.dtype = value;
                        else
                            delete message.dtype;
                        continue;
                    }
                case 7: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.prunasVersion = value;
                        else
                            delete message.prunasVersion;
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.nodeVersion = value;
                        else
                            delete message.nodeVersion;
                        continue;
                    }
                case 9: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.napiVersion = value;
                        else
                            delete message.napiVersion;
                        continue;
                    }
                case 10: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.date = value;
                        else
                            delete message.date;
                        continue;
                    }
                case 11: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.warmup = value;
                        else
                            delete message.warmup;
                        continue;
                    }
                case 12: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.repeats = value;
                        else
                            delete message.repeats;
                        continue;
                    }
                case 13: {
                        if (wireType !== 2)
                            break;
                        if (!(message.entries && message.entries.length))
                            message.entries = [];
                        message.entries.push($root.prunas.LatencyEntry.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                case 14: {
                        if (wireType !== 1)
                            break;
                        if (!$Object.is(value = reader.double(), 0))
                            message.loadAverage = value;
                        else
                            delete message.loadAverage;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a LatencyTable message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.LatencyTable
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.LatencyTable & prunas.LatencyTable.$Shape} LatencyTable
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyTable.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a LatencyTable message.
         * @function verify
         * @memberof prunas.LatencyTable
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        LatencyTable.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion"))
                if (!$util.isInteger(message.formatVersion))
                    return "formatVersion: integer expected";
            if (message.spaceName != null && $Object.hasOwnProperty.call(message, "spaceName"))
                if (!$util.isString(message.spaceName))
                    return "spaceName: string expected";
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson"))
                if (!$util.isString(message.spaceJson))
                    return "spaceJson: string expected";
            if (message.device != null && $Object.hasOwnProperty.call(message, "device")) {
                let error = $root.prunas.LatencyDevice.verify(message.device, _depth + 1);
                if (error)
                    return "device." + error;
            }
            if (message.batch != null && $Object.hasOwnProperty.call(message, "batch"))
                if (!$util.isInteger(message.batch))
                    return "batch: integer expected";
            if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype"))
                if (!$util.isString(message.dtype))
                    return "dtype: string expected";
            if (message.prunasVersion != null && $Object.hasOwnProperty.call(message, "prunasVersion"))
                if (!$util.isString(message.prunasVersion))
                    return "prunasVersion: string expected";
            if (message.nodeVersion != null && $Object.hasOwnProperty.call(message, "nodeVersion"))
                if (!$util.isString(message.nodeVersion))
                    return "nodeVersion: string expected";
            if (message.napiVersion != null && $Object.hasOwnProperty.call(message, "napiVersion"))
                if (!$util.isString(message.napiVersion))
                    return "napiVersion: string expected";
            if (message.date != null && $Object.hasOwnProperty.call(message, "date"))
                if (!$util.isString(message.date))
                    return "date: string expected";
            if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup"))
                if (!$util.isInteger(message.warmup))
                    return "warmup: integer expected";
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats"))
                if (!$util.isInteger(message.repeats))
                    return "repeats: integer expected";
            if (message.entries != null && $Object.hasOwnProperty.call(message, "entries")) {
                if (!$Array.isArray(message.entries))
                    return "entries: array expected";
                for (let i = 0; i < message.entries.length; ++i) {
                    let error = $root.prunas.LatencyEntry.verify(message.entries[i], _depth + 1);
                    if (error)
                        return "entries." + error;
                }
            }
            if (message.loadAverage != null && $Object.hasOwnProperty.call(message, "loadAverage"))
                if (typeof message.loadAverage !== "number")
                    return "loadAverage: number expected";
            return null;
        };

        /**
         * Creates a LatencyTable message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.LatencyTable
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.LatencyTable} LatencyTable
         */
        LatencyTable.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.LatencyTable)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.LatencyTable: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.LatencyTable();
            if (object.formatVersion != null)
                if ($Number(object.formatVersion) !== 0)
                    message.formatVersion = object.formatVersion >>> 0;
            if (object.spaceName != null)
                if (typeof object.spaceName !== "string" || object.spaceName.length)
                    message.spaceName = $String(object.spaceName);
            if (object.spaceJson != null)
                if (typeof object.spaceJson !== "string" || object.spaceJson.length)
                    message.spaceJson = $String(object.spaceJson);
            if (object.device != null) {
                if (!$util.isObject(object.device))
                    throw $TypeError(".prunas.LatencyTable.device: object expected");
                message.device = $root.prunas.LatencyDevice.fromObject(object.device, _depth + 1);
            }
            if (object.batch != null)
                if ($Number(object.batch) !== 0)
                    message.batch = object.batch >>> 0;
            if (object.dtype != null)
                if (typeof object.dtype !== "string" || object.dtype.length)
                    message.dtype = $String(object.dtype);
            if (object.prunasVersion != null)
                if (typeof object.prunasVersion !== "string" || object.prunasVersion.length)
                    message.prunasVersion = $String(object.prunasVersion);
            if (object.nodeVersion != null)
                if (typeof object.nodeVersion !== "string" || object.nodeVersion.length)
                    message.nodeVersion = $String(object.nodeVersion);
            if (object.napiVersion != null)
                if (typeof object.napiVersion !== "string" || object.napiVersion.length)
                    message.napiVersion = $String(object.napiVersion);
            if (object.date != null)
                if (typeof object.date !== "string" || object.date.length)
                    message.date = $String(object.date);
            if (object.warmup != null)
                if ($Number(object.warmup) !== 0)
                    message.warmup = object.warmup >>> 0;
            if (object.repeats != null)
                if ($Number(object.repeats) !== 0)
                    message.repeats = object.repeats >>> 0;
            if (object.entries) {
                if (!$Array.isArray(object.entries))
                    throw $TypeError(".prunas.LatencyTable.entries: array expected");
                message.entries = $Array(object.entries.length);
                for (let i = 0; i < object.entries.length; ++i) {
                    if (!$util.isObject(object.entries[i]))
                        throw $TypeError(".prunas.LatencyTable.entries: object expected");
                    message.entries[i] = $root.prunas.LatencyEntry.fromObject(object.entries[i], _depth + 1);
                }
            }
            if (object.loadAverage != null)
                if (!$Object.is($Number(object.loadAverage), 0))
                    message.loadAverage = $Number(object.loadAverage);
            return message;
        };

        /**
         * Creates a plain object from a LatencyTable message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.LatencyTable
         * @static
         * @param {prunas.LatencyTable} message LatencyTable
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        LatencyTable.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.arrays || options.defaults)
                object.entries = [];
            if (options.defaults) {
                object.formatVersion = 0;
                object.spaceName = "";
                object.spaceJson = "";
                object.device = null;
                object.batch = 0;
                object.dtype = "";
                object.prunasVersion = "";
                object.nodeVersion = "";
                object.napiVersion = "";
                object.date = "";
                object.warmup = 0;
                object.repeats = 0;
                object.loadAverage = 0;
            }
            if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion"))
                object.formatVersion = message.formatVersion;
            if (message.spaceName != null && $Object.hasOwnProperty.call(message, "spaceName"))
                object.spaceName = message.spaceName;
            if (message.spaceJson != null && $Object.hasOwnProperty.call(message, "spaceJson"))
                object.spaceJson = message.spaceJson;
            if (message.device != null && $Object.hasOwnProperty.call(message, "device"))
                object.device = $root.prunas.LatencyDevice.toObject(message.device, options, _depth + 1);
            if (message.batch != null && $Object.hasOwnProperty.call(message, "batch"))
                object.batch = message.batch;
            if (message.dtype != null && $Object.hasOwnProperty.call(message, "dtype"))
                object.dtype = message.dtype;
            if (message.prunasVersion != null && $Object.hasOwnProperty.call(message, "prunasVersion"))
                object.prunasVersion = message.prunasVersion;
            if (message.nodeVersion != null && $Object.hasOwnProperty.call(message, "nodeVersion"))
                object.nodeVersion = message.nodeVersion;
            if (message.napiVersion != null && $Object.hasOwnProperty.call(message, "napiVersion"))
                object.napiVersion = message.napiVersion;
            if (message.date != null && $Object.hasOwnProperty.call(message, "date"))
                object.date = message.date;
            if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup"))
                object.warmup = message.warmup;
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats"))
                object.repeats = message.repeats;
            if (message.entries && message.entries.length) {
                object.entries = $Array(message.entries.length);
                for (let j = 0; j < message.entries.length; ++j)
                    object.entries[j] = $root.prunas.LatencyEntry.toObject(message.entries[j], options, _depth + 1);
            }
            if (message.loadAverage != null && $Object.hasOwnProperty.call(message, "loadAverage"))
                object.loadAverage = options.json && !$isFinite(message.loadAverage) ? $String(message.loadAverage) : message.loadAverage;
            return object;
        };

        /**
         * Converts this LatencyTable to JSON.
         * @function toJSON
         * @memberof prunas.LatencyTable
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        LatencyTable.prototype.toJSON = function() {
            return LatencyTable.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for LatencyTable
         * @function getTypeUrl
         * @memberof prunas.LatencyTable
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        LatencyTable.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.LatencyTable";
        };

        return LatencyTable;
    })();

    prunas.LatencyDevice = (function() {

        /**
         * Properties of a LatencyDevice.
         * @typedef {Object} prunas.LatencyDevice.$Properties
         * @property {string|null} [kind] LatencyDevice kind
         * @property {string|null} [cpuModel] LatencyDevice cpuModel
         * @property {number|null} [threads] LatencyDevice threads
         * @property {number|null} [logicalCpus] LatencyDevice logicalCpus
         * @property {string|null} [vectorPath] LatencyDevice vectorPath
         * @property {string|null} [platform] LatencyDevice platform
         * @property {prunas.LatencyGpu.$Properties|null} [gpu] LatencyDevice gpu
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a LatencyDevice.
         * @memberof prunas
         * @interface ILatencyDevice
         * @augments prunas.LatencyDevice.$Properties
         * @deprecated Use prunas.LatencyDevice.$Properties instead.
         */

        /**
         * Shape of a LatencyDevice.
         * @typedef {prunas.LatencyDevice.$Properties} prunas.LatencyDevice.$Shape
         */

        /**
         * Constructs a new LatencyDevice.
         * @memberof prunas
         * @classdesc Represents a LatencyDevice.
         * @constructor
         * @param {prunas.LatencyDevice.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const LatencyDevice = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * LatencyDevice kind.
         * @member {string} kind
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.kind = "";

        /**
         * LatencyDevice cpuModel.
         * @member {string} cpuModel
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.cpuModel = "";

        /**
         * LatencyDevice threads.
         * @member {number} threads
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.threads = 0;

        /**
         * LatencyDevice logicalCpus.
         * @member {number} logicalCpus
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.logicalCpus = 0;

        /**
         * LatencyDevice vectorPath.
         * @member {string} vectorPath
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.vectorPath = "";

        /**
         * LatencyDevice platform.
         * @member {string} platform
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.platform = "";

        /**
         * LatencyDevice gpu.
         * @member {prunas.LatencyGpu.$Properties|null|undefined} gpu
         * @memberof prunas.LatencyDevice
         * @instance
         */
        LatencyDevice.prototype.gpu = null;

        /**
         * Creates a new LatencyDevice instance using the specified properties.
         * @function create
         * @memberof prunas.LatencyDevice
         * @static
         * @param {prunas.LatencyDevice.$Properties=} [properties] Properties to set
         * @returns {prunas.LatencyDevice} LatencyDevice instance
         * @type {{
         *   (properties: prunas.LatencyDevice.$Shape): prunas.LatencyDevice & prunas.LatencyDevice.$Shape;
         *   (properties?: prunas.LatencyDevice.$Properties): prunas.LatencyDevice;
         * }}
         */
        LatencyDevice.create = function(properties) {
            return new LatencyDevice(properties);
        };

        /**
         * Encodes the specified LatencyDevice message. Does not implicitly {@link prunas.LatencyDevice.verify|verify} messages.
         * @function encode
         * @memberof prunas.LatencyDevice
         * @static
         * @param {prunas.LatencyDevice.$Properties} message LatencyDevice message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyDevice.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.kind);
            if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel") && message.cpuModel !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.cpuModel);
            if (message.threads != null && $Object.hasOwnProperty.call(message, "threads") && message.threads !== 0)
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.threads);
            if (message.logicalCpus != null && $Object.hasOwnProperty.call(message, "logicalCpus") && message.logicalCpus !== 0)
                writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.logicalCpus);
            if (message.vectorPath != null && $Object.hasOwnProperty.call(message, "vectorPath") && message.vectorPath !== "")
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.vectorPath);
            if (message.platform != null && $Object.hasOwnProperty.call(message, "platform") && message.platform !== "")
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.platform);
            if (message.gpu != null && $Object.hasOwnProperty.call(message, "gpu"))
                $root.prunas.LatencyGpu.encode(message.gpu, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified LatencyDevice message, length delimited. Does not implicitly {@link prunas.LatencyDevice.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.LatencyDevice
         * @static
         * @param {prunas.LatencyDevice.$Properties} message LatencyDevice message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyDevice.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a LatencyDevice message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.LatencyDevice
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.LatencyDevice & prunas.LatencyDevice.$Shape} LatencyDevice
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyDevice.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.LatencyDevice();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.kind = value;
                        else
                            delete message.kind;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.cpuModel = value;
                        else
                            delete message.cpuModel;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.threads = value;
                        else
                            delete message.threads;
                        continue;
                    }
                case 4: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.logicalCpus = value;
                        else
                            delete message.logicalCpus;
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.vectorPath = value;
                        else
                            delete message.vectorPath;
                        continue;
                    }
                case 6: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.platform = value;
                        else
                            delete message.platform;
                        continue;
                    }
                case 7: {
                        if (wireType !== 2)
                            break;
                        message.gpu = $root.prunas.LatencyGpu.decode(reader, reader.size(), $undefined, _depth + 1, message.gpu);
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a LatencyDevice message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.LatencyDevice
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.LatencyDevice & prunas.LatencyDevice.$Shape} LatencyDevice
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyDevice.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a LatencyDevice message.
         * @function verify
         * @memberof prunas.LatencyDevice
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        LatencyDevice.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                if (!$util.isString(message.kind))
                    return "kind: string expected";
            if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel"))
                if (!$util.isString(message.cpuModel))
                    return "cpuModel: string expected";
            if (message.threads != null && $Object.hasOwnProperty.call(message, "threads"))
                if (!$util.isInteger(message.threads))
                    return "threads: integer expected";
            if (message.logicalCpus != null && $Object.hasOwnProperty.call(message, "logicalCpus"))
                if (!$util.isInteger(message.logicalCpus))
                    return "logicalCpus: integer expected";
            if (message.vectorPath != null && $Object.hasOwnProperty.call(message, "vectorPath"))
                if (!$util.isString(message.vectorPath))
                    return "vectorPath: string expected";
            if (message.platform != null && $Object.hasOwnProperty.call(message, "platform"))
                if (!$util.isString(message.platform))
                    return "platform: string expected";
            if (message.gpu != null && $Object.hasOwnProperty.call(message, "gpu")) {
                let error = $root.prunas.LatencyGpu.verify(message.gpu, _depth + 1);
                if (error)
                    return "gpu." + error;
            }
            return null;
        };

        /**
         * Creates a LatencyDevice message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.LatencyDevice
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.LatencyDevice} LatencyDevice
         */
        LatencyDevice.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.LatencyDevice)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.LatencyDevice: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.LatencyDevice();
            if (object.kind != null)
                if (typeof object.kind !== "string" || object.kind.length)
                    message.kind = $String(object.kind);
            if (object.cpuModel != null)
                if (typeof object.cpuModel !== "string" || object.cpuModel.length)
                    message.cpuModel = $String(object.cpuModel);
            if (object.threads != null)
                if ($Number(object.threads) !== 0)
                    message.threads = object.threads >>> 0;
            if (object.logicalCpus != null)
                if ($Number(object.logicalCpus) !== 0)
                    message.logicalCpus = object.logicalCpus >>> 0;
            if (object.vectorPath != null)
                if (typeof object.vectorPath !== "string" || object.vectorPath.length)
                    message.vectorPath = $String(object.vectorPath);
            if (object.platform != null)
                if (typeof object.platform !== "string" || object.platform.length)
                    message.platform = $String(object.platform);
            if (object.gpu != null) {
                if (!$util.isObject(object.gpu))
                    throw $TypeError(".prunas.LatencyDevice.gpu: object expected");
                message.gpu = $root.prunas.LatencyGpu.fromObject(object.gpu, _depth + 1);
            }
            return message;
        };

        /**
         * Creates a plain object from a LatencyDevice message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.LatencyDevice
         * @static
         * @param {prunas.LatencyDevice} message LatencyDevice
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        LatencyDevice.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.kind = "";
                object.cpuModel = "";
                object.threads = 0;
                object.logicalCpus = 0;
                object.vectorPath = "";
                object.platform = "";
                object.gpu = null;
            }
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                object.kind = message.kind;
            if (message.cpuModel != null && $Object.hasOwnProperty.call(message, "cpuModel"))
                object.cpuModel = message.cpuModel;
            if (message.threads != null && $Object.hasOwnProperty.call(message, "threads"))
                object.threads = message.threads;
            if (message.logicalCpus != null && $Object.hasOwnProperty.call(message, "logicalCpus"))
                object.logicalCpus = message.logicalCpus;
            if (message.vectorPath != null && $Object.hasOwnProperty.call(message, "vectorPath"))
                object.vectorPath = message.vectorPath;
            if (message.platform != null && $Object.hasOwnProperty.call(message, "platform"))
                object.platform = message.platform;
            if (message.gpu != null && $Object.hasOwnProperty.call(message, "gpu"))
                object.gpu = $root.prunas.LatencyGpu.toObject(message.gpu, options, _depth + 1);
            return object;
        };

        /**
         * Converts this LatencyDevice to JSON.
         * @function toJSON
         * @memberof prunas.LatencyDevice
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        LatencyDevice.prototype.toJSON = function() {
            return LatencyDevice.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for LatencyDevice
         * @function getTypeUrl
         * @memberof prunas.LatencyDevice
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        LatencyDevice.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.LatencyDevice";
        };

        return LatencyDevice;
    })();

    prunas.LatencyGpu = (function() {

        /**
         * Properties of a LatencyGpu.
         * @typedef {Object} prunas.LatencyGpu.$Properties
         * @property {number|null} [index] LatencyGpu index
         * @property {string|null} [name] LatencyGpu name
         * @property {string|null} [computeCapability] LatencyGpu computeCapability
         * @property {number|null} [memoryBytes] LatencyGpu memoryBytes
         * @property {string|null} [driverVersion] LatencyGpu driverVersion
         * @property {string|null} [driverCudaVersion] LatencyGpu driverCudaVersion
         * @property {string|null} [cudaRuntimeVersion] LatencyGpu cudaRuntimeVersion
         * @property {string|null} [cudnnVersion] LatencyGpu cudnnVersion
         * @property {string|null} [cublasVersion] LatencyGpu cublasVersion
         * @property {string|null} [precision] LatencyGpu precision
         * @property {string|null} [timing] LatencyGpu timing
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a LatencyGpu.
         * @memberof prunas
         * @interface ILatencyGpu
         * @augments prunas.LatencyGpu.$Properties
         * @deprecated Use prunas.LatencyGpu.$Properties instead.
         */

        /**
         * Shape of a LatencyGpu.
         * @typedef {prunas.LatencyGpu.$Properties} prunas.LatencyGpu.$Shape
         */

        /**
         * Constructs a new LatencyGpu.
         * @memberof prunas
         * @classdesc Represents a LatencyGpu.
         * @constructor
         * @param {prunas.LatencyGpu.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const LatencyGpu = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * LatencyGpu index.
         * @member {number} index
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.index = 0;

        /**
         * LatencyGpu name.
         * @member {string} name
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.name = "";

        /**
         * LatencyGpu computeCapability.
         * @member {string} computeCapability
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.computeCapability = "";

        /**
         * LatencyGpu memoryBytes.
         * @member {number} memoryBytes
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.memoryBytes = 0;

        /**
         * LatencyGpu driverVersion.
         * @member {string} driverVersion
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.driverVersion = "";

        /**
         * LatencyGpu driverCudaVersion.
         * @member {string} driverCudaVersion
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.driverCudaVersion = "";

        /**
         * LatencyGpu cudaRuntimeVersion.
         * @member {string} cudaRuntimeVersion
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.cudaRuntimeVersion = "";

        /**
         * LatencyGpu cudnnVersion.
         * @member {string} cudnnVersion
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.cudnnVersion = "";

        /**
         * LatencyGpu cublasVersion.
         * @member {string} cublasVersion
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.cublasVersion = "";

        /**
         * LatencyGpu precision.
         * @member {string} precision
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.precision = "";

        /**
         * LatencyGpu timing.
         * @member {string} timing
         * @memberof prunas.LatencyGpu
         * @instance
         */
        LatencyGpu.prototype.timing = "";

        /**
         * Creates a new LatencyGpu instance using the specified properties.
         * @function create
         * @memberof prunas.LatencyGpu
         * @static
         * @param {prunas.LatencyGpu.$Properties=} [properties] Properties to set
         * @returns {prunas.LatencyGpu} LatencyGpu instance
         * @type {{
         *   (properties: prunas.LatencyGpu.$Shape): prunas.LatencyGpu & prunas.LatencyGpu.$Shape;
         *   (properties?: prunas.LatencyGpu.$Properties): prunas.LatencyGpu;
         * }}
         */
        LatencyGpu.create = function(properties) {
            return new LatencyGpu(properties);
        };

        /**
         * Encodes the specified LatencyGpu message. Does not implicitly {@link prunas.LatencyGpu.verify|verify} messages.
         * @function encode
         * @memberof prunas.LatencyGpu
         * @static
         * @param {prunas.LatencyGpu.$Properties} message LatencyGpu message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyGpu.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.index != null && $Object.hasOwnProperty.call(message, "index") && message.index !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.index);
            if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
            if (message.computeCapability != null && $Object.hasOwnProperty.call(message, "computeCapability") && message.computeCapability !== "")
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.computeCapability);
            if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes") && !$Object.is(message.memoryBytes, 0))
                writer.uint32(/* id 4, wireType 1 =*/33).double(message.memoryBytes);
            if (message.driverVersion != null && $Object.hasOwnProperty.call(message, "driverVersion") && message.driverVersion !== "")
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.driverVersion);
            if (message.driverCudaVersion != null && $Object.hasOwnProperty.call(message, "driverCudaVersion") && message.driverCudaVersion !== "")
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.driverCudaVersion);
            if (message.cudaRuntimeVersion != null && $Object.hasOwnProperty.call(message, "cudaRuntimeVersion") && message.cudaRuntimeVersion !== "")
                writer.uint32(/* id 7, wireType 2 =*/58).string(message.cudaRuntimeVersion);
            if (message.cudnnVersion != null && $Object.hasOwnProperty.call(message, "cudnnVersion") && message.cudnnVersion !== "")
                writer.uint32(/* id 8, wireType 2 =*/66).string(message.cudnnVersion);
            if (message.cublasVersion != null && $Object.hasOwnProperty.call(message, "cublasVersion") && message.cublasVersion !== "")
                writer.uint32(/* id 9, wireType 2 =*/74).string(message.cublasVersion);
            if (message.precision != null && $Object.hasOwnProperty.call(message, "precision") && message.precision !== "")
                writer.uint32(/* id 10, wireType 2 =*/82).string(message.precision);
            if (message.timing != null && $Object.hasOwnProperty.call(message, "timing") && message.timing !== "")
                writer.uint32(/* id 11, wireType 2 =*/90).string(message.timing);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified LatencyGpu message, length delimited. Does not implicitly {@link prunas.LatencyGpu.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.LatencyGpu
         * @static
         * @param {prunas.LatencyGpu.$Properties} message LatencyGpu message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyGpu.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a LatencyGpu message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.LatencyGpu
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.LatencyGpu & prunas.LatencyGpu.$Shape} LatencyGpu
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyGpu.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.LatencyGpu();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.index = value;
                        else
                            delete message.index;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.name = value;
                        else
                            delete message.name;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.computeCapability = value;
                        else
                            delete message.computeCapability;
                        continue;
                    }
                case 4: {
                        if (wireType !== 1)
                            break;
                        if (!$Object.is(value = reader.double(), 0))
                            message.memoryBytes = value;
                        else
                            delete message.memoryBytes;
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.driverVersion = value;
                        else
                            delete message.driverVersion;
                        continue;
                    }
                case 6: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.driverCudaVersion = value;
                        else
                            delete message.driverCudaVersion;
                        continue;
                    }
                case 7: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.cudaRuntimeVersion = value;
                        else
                            delete message.cudaRuntimeVersion;
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.cudnnVersion = value;
                        else
                            delete message.cudnnVersion;
                        continue;
                    }
                case 9: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.cublasVersion = value;
                        else
                            delete message.cublasVersion;
                        continue;
                    }
                case 10: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.precision = value;
                        else
                            delete message.precision;
                        continue;
                    }
                case 11: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.timing = value;
                        else
                            delete message.timing;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a LatencyGpu message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.LatencyGpu
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.LatencyGpu & prunas.LatencyGpu.$Shape} LatencyGpu
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyGpu.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a LatencyGpu message.
         * @function verify
         * @memberof prunas.LatencyGpu
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        LatencyGpu.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.index != null && $Object.hasOwnProperty.call(message, "index"))
                if (!$util.isInteger(message.index))
                    return "index: integer expected";
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                if (!$util.isString(message.name))
                    return "name: string expected";
            if (message.computeCapability != null && $Object.hasOwnProperty.call(message, "computeCapability"))
                if (!$util.isString(message.computeCapability))
                    return "computeCapability: string expected";
            if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes"))
                if (typeof message.memoryBytes !== "number")
                    return "memoryBytes: number expected";
            if (message.driverVersion != null && $Object.hasOwnProperty.call(message, "driverVersion"))
                if (!$util.isString(message.driverVersion))
                    return "driverVersion: string expected";
            if (message.driverCudaVersion != null && $Object.hasOwnProperty.call(message, "driverCudaVersion"))
                if (!$util.isString(message.driverCudaVersion))
                    return "driverCudaVersion: string expected";
            if (message.cudaRuntimeVersion != null && $Object.hasOwnProperty.call(message, "cudaRuntimeVersion"))
                if (!$util.isString(message.cudaRuntimeVersion))
                    return "cudaRuntimeVersion: string expected";
            if (message.cudnnVersion != null && $Object.hasOwnProperty.call(message, "cudnnVersion"))
                if (!$util.isString(message.cudnnVersion))
                    return "cudnnVersion: string expected";
            if (message.cublasVersion != null && $Object.hasOwnProperty.call(message, "cublasVersion"))
                if (!$util.isString(message.cublasVersion))
                    return "cublasVersion: string expected";
            if (message.precision != null && $Object.hasOwnProperty.call(message, "precision"))
                if (!$util.isString(message.precision))
                    return "precision: string expected";
            if (message.timing != null && $Object.hasOwnProperty.call(message, "timing"))
                if (!$util.isString(message.timing))
                    return "timing: string expected";
            return null;
        };

        /**
         * Creates a LatencyGpu message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.LatencyGpu
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.LatencyGpu} LatencyGpu
         */
        LatencyGpu.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.LatencyGpu)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.LatencyGpu: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.LatencyGpu();
            if (object.index != null)
                if ($Number(object.index) !== 0)
                    message.index = object.index >>> 0;
            if (object.name != null)
                if (typeof object.name !== "string" || object.name.length)
                    message.name = $String(object.name);
            if (object.computeCapability != null)
                if (typeof object.computeCapability !== "string" || object.computeCapability.length)
                    message.computeCapability = $String(object.computeCapability);
            if (object.memoryBytes != null)
                if (!$Object.is($Number(object.memoryBytes), 0))
                    message.memoryBytes = $Number(object.memoryBytes);
            if (object.driverVersion != null)
                if (typeof object.driverVersion !== "string" || object.driverVersion.length)
                    message.driverVersion = $String(object.driverVersion);
            if (object.driverCudaVersion != null)
                if (typeof object.driverCudaVersion !== "string" || object.driverCudaVersion.length)
                    message.driverCudaVersion = $String(object.driverCudaVersion);
            if (object.cudaRuntimeVersion != null)
                if (typeof object.cudaRuntimeVersion !== "string" || object.cudaRuntimeVersion.length)
                    message.cudaRuntimeVersion = $String(object.cudaRuntimeVersion);
            if (object.cudnnVersion != null)
                if (typeof object.cudnnVersion !== "string" || object.cudnnVersion.length)
                    message.cudnnVersion = $String(object.cudnnVersion);
            if (object.cublasVersion != null)
                if (typeof object.cublasVersion !== "string" || object.cublasVersion.length)
                    message.cublasVersion = $String(object.cublasVersion);
            if (object.precision != null)
                if (typeof object.precision !== "string" || object.precision.length)
                    message.precision = $String(object.precision);
            if (object.timing != null)
                if (typeof object.timing !== "string" || object.timing.length)
                    message.timing = $String(object.timing);
            return message;
        };

        /**
         * Creates a plain object from a LatencyGpu message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.LatencyGpu
         * @static
         * @param {prunas.LatencyGpu} message LatencyGpu
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        LatencyGpu.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.index = 0;
                object.name = "";
                object.computeCapability = "";
                object.memoryBytes = 0;
                object.driverVersion = "";
                object.driverCudaVersion = "";
                object.cudaRuntimeVersion = "";
                object.cudnnVersion = "";
                object.cublasVersion = "";
                object.precision = "";
                object.timing = "";
            }
            if (message.index != null && $Object.hasOwnProperty.call(message, "index"))
                object.index = message.index;
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                object.name = message.name;
            if (message.computeCapability != null && $Object.hasOwnProperty.call(message, "computeCapability"))
                object.computeCapability = message.computeCapability;
            if (message.memoryBytes != null && $Object.hasOwnProperty.call(message, "memoryBytes"))
                object.memoryBytes = options.json && !$isFinite(message.memoryBytes) ? $String(message.memoryBytes) : message.memoryBytes;
            if (message.driverVersion != null && $Object.hasOwnProperty.call(message, "driverVersion"))
                object.driverVersion = message.driverVersion;
            if (message.driverCudaVersion != null && $Object.hasOwnProperty.call(message, "driverCudaVersion"))
                object.driverCudaVersion = message.driverCudaVersion;
            if (message.cudaRuntimeVersion != null && $Object.hasOwnProperty.call(message, "cudaRuntimeVersion"))
                object.cudaRuntimeVersion = message.cudaRuntimeVersion;
            if (message.cudnnVersion != null && $Object.hasOwnProperty.call(message, "cudnnVersion"))
                object.cudnnVersion = message.cudnnVersion;
            if (message.cublasVersion != null && $Object.hasOwnProperty.call(message, "cublasVersion"))
                object.cublasVersion = message.cublasVersion;
            if (message.precision != null && $Object.hasOwnProperty.call(message, "precision"))
                object.precision = message.precision;
            if (message.timing != null && $Object.hasOwnProperty.call(message, "timing"))
                object.timing = message.timing;
            return object;
        };

        /**
         * Converts this LatencyGpu to JSON.
         * @function toJSON
         * @memberof prunas.LatencyGpu
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        LatencyGpu.prototype.toJSON = function() {
            return LatencyGpu.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for LatencyGpu
         * @function getTypeUrl
         * @memberof prunas.LatencyGpu
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        LatencyGpu.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.LatencyGpu";
        };

        return LatencyGpu;
    })();

    prunas.LatencyEntry = (function() {

        /**
         * Properties of a LatencyEntry.
         * @typedef {Object} prunas.LatencyEntry.$Properties
         * @property {string|null} [key] LatencyEntry key
         * @property {string|null} [kind] LatencyEntry kind
         * @property {string|null} [layer] LatencyEntry layer
         * @property {number|null} [candidate] LatencyEntry candidate
         * @property {number|null} [inputHeight] LatencyEntry inputHeight
         * @property {number|null} [inputWidth] LatencyEntry inputWidth
         * @property {number|null} [inputChannels] LatencyEntry inputChannels
         * @property {number|null} [outChannels] LatencyEntry outChannels
         * @property {number|null} [kernel] LatencyEntry kernel
         * @property {number|null} [expand] LatencyEntry expand
         * @property {number|null} [stride] LatencyEntry stride
         * @property {boolean|null} [residual] LatencyEntry residual
         * @property {string|null} [act] LatencyEntry act
         * @property {number|null} [medianMs] LatencyEntry medianMs
         * @property {number|null} [spreadMs] LatencyEntry spreadMs
         * @property {number|null} [minMs] LatencyEntry minMs
         * @property {number|null} [repeats] LatencyEntry repeats
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a LatencyEntry.
         * @memberof prunas
         * @interface ILatencyEntry
         * @augments prunas.LatencyEntry.$Properties
         * @deprecated Use prunas.LatencyEntry.$Properties instead.
         */

        /**
         * Shape of a LatencyEntry.
         * @typedef {prunas.LatencyEntry.$Properties} prunas.LatencyEntry.$Shape
         */

        /**
         * Constructs a new LatencyEntry.
         * @memberof prunas
         * @classdesc Represents a LatencyEntry.
         * @constructor
         * @param {prunas.LatencyEntry.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const LatencyEntry = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * LatencyEntry key.
         * @member {string} key
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.key = "";

        /**
         * LatencyEntry kind.
         * @member {string} kind
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.kind = "";

        /**
         * LatencyEntry layer.
         * @member {string} layer
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.layer = "";

        /**
         * LatencyEntry candidate.
         * @member {number} candidate
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.candidate = 0;

        /**
         * LatencyEntry inputHeight.
         * @member {number} inputHeight
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.inputHeight = 0;

        /**
         * LatencyEntry inputWidth.
         * @member {number} inputWidth
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.inputWidth = 0;

        /**
         * LatencyEntry inputChannels.
         * @member {number} inputChannels
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.inputChannels = 0;

        /**
         * LatencyEntry outChannels.
         * @member {number} outChannels
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.outChannels = 0;

        /**
         * LatencyEntry kernel.
         * @member {number} kernel
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.kernel = 0;

        /**
         * LatencyEntry expand.
         * @member {number} expand
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.expand = 0;

        /**
         * LatencyEntry stride.
         * @member {number} stride
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.stride = 0;

        /**
         * LatencyEntry residual.
         * @member {boolean} residual
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.residual = false;

        /**
         * LatencyEntry act.
         * @member {string} act
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.act = "";

        /**
         * LatencyEntry medianMs.
         * @member {number} medianMs
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.medianMs = 0;

        /**
         * LatencyEntry spreadMs.
         * @member {number} spreadMs
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.spreadMs = 0;

        /**
         * LatencyEntry minMs.
         * @member {number} minMs
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.minMs = 0;

        /**
         * LatencyEntry repeats.
         * @member {number} repeats
         * @memberof prunas.LatencyEntry
         * @instance
         */
        LatencyEntry.prototype.repeats = 0;

        /**
         * Creates a new LatencyEntry instance using the specified properties.
         * @function create
         * @memberof prunas.LatencyEntry
         * @static
         * @param {prunas.LatencyEntry.$Properties=} [properties] Properties to set
         * @returns {prunas.LatencyEntry} LatencyEntry instance
         * @type {{
         *   (properties: prunas.LatencyEntry.$Shape): prunas.LatencyEntry & prunas.LatencyEntry.$Shape;
         *   (properties?: prunas.LatencyEntry.$Properties): prunas.LatencyEntry;
         * }}
         */
        LatencyEntry.create = function(properties) {
            return new LatencyEntry(properties);
        };

        /**
         * Encodes the specified LatencyEntry message. Does not implicitly {@link prunas.LatencyEntry.verify|verify} messages.
         * @function encode
         * @memberof prunas.LatencyEntry
         * @static
         * @param {prunas.LatencyEntry.$Properties} message LatencyEntry message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyEntry.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.kind);
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer") && message.layer !== "")
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.layer);
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate") && message.candidate !== 0)
                writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.candidate);
            if (message.inputHeight != null && $Object.hasOwnProperty.call(message, "inputHeight") && message.inputHeight !== 0)
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.inputHeight);
            if (message.inputWidth != null && $Object.hasOwnProperty.call(message, "inputWidth") && message.inputWidth !== 0)
                writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.inputWidth);
            if (message.inputChannels != null && $Object.hasOwnProperty.call(message, "inputChannels") && message.inputChannels !== 0)
                writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.inputChannels);
            if (message.outChannels != null && $Object.hasOwnProperty.call(message, "outChannels") && message.outChannels !== 0)
                writer.uint32(/* id 8, wireType 0 =*/64).uint32(message.outChannels);
            if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel") && message.kernel !== 0)
                writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.kernel);
            if (message.expand != null && $Object.hasOwnProperty.call(message, "expand") && message.expand !== 0)
                writer.uint32(/* id 10, wireType 0 =*/80).uint32(message.expand);
            if (message.stride != null && $Object.hasOwnProperty.call(message, "stride") && message.stride !== 0)
                writer.uint32(/* id 11, wireType 0 =*/88).uint32(message.stride);
            if (message.residual != null && $Object.hasOwnProperty.call(message, "residual") && message.residual !== false)
                writer.uint32(/* id 12, wireType 0 =*/96).bool(message.residual);
            if (message.act != null && $Object.hasOwnProperty.call(message, "act") && message.act !== "")
                writer.uint32(/* id 13, wireType 2 =*/106).string(message.act);
            if (message.medianMs != null && $Object.hasOwnProperty.call(message, "medianMs") && !$Object.is(message.medianMs, 0))
                writer.uint32(/* id 14, wireType 1 =*/113).double(message.medianMs);
            if (message.spreadMs != null && $Object.hasOwnProperty.call(message, "spreadMs") && !$Object.is(message.spreadMs, 0))
                writer.uint32(/* id 15, wireType 1 =*/121).double(message.spreadMs);
            if (message.minMs != null && $Object.hasOwnProperty.call(message, "minMs") && !$Object.is(message.minMs, 0))
                writer.uint32(/* id 16, wireType 1 =*/129).double(message.minMs);
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats") && message.repeats !== 0)
                writer.uint32(/* id 17, wireType 0 =*/136).uint32(message.repeats);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified LatencyEntry message, length delimited. Does not implicitly {@link prunas.LatencyEntry.verify|verify} messages.
         * @function encodeDelimited
         * @memberof prunas.LatencyEntry
         * @static
         * @param {prunas.LatencyEntry.$Properties} message LatencyEntry message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LatencyEntry.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a LatencyEntry message from the specified reader or buffer.
         * @function decode
         * @memberof prunas.LatencyEntry
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {prunas.LatencyEntry & prunas.LatencyEntry.$Shape} LatencyEntry
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyEntry.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.prunas.LatencyEntry();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.key = value;
                        else
                            delete message.key;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.kind = value;
                        else
                            delete message.kind;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.layer = value;
                        else
                            delete message.layer;
                        continue;
                    }
                case 4: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.candidate = value;
                        else
                            delete message.candidate;
                        continue;
                    }
                case 5: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.inputHeight = value;
                        else
                            delete message.inputHeight;
                        continue;
                    }
                case 6: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.inputWidth = value;
                        else
                            delete message.inputWidth;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.inputChannels = value;
                        else
                            delete message.inputChannels;
                        continue;
                    }
                case 8: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.outChannels = value;
                        else
                            delete message.outChannels;
                        continue;
                    }
                case 9: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.kernel = value;
                        else
                            delete message.kernel;
                        continue;
                    }
                case 10: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.expand = value;
                        else
                            delete message.expand;
                        continue;
                    }
                case 11: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.stride = value;
                        else
                            delete message.stride;
                        continue;
                    }
                case 12: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.bool())
                            message.residual = value;
                        else
                            delete message.residual;
                        continue;
                    }
                case 13: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.act = value;
                        else
                            delete message.act;
                        continue;
                    }
                case 14: {
                        if (wireType !== 1)
                            break;
                        if (!$Object.is(value = reader.double(), 0))
                            message.medianMs = value;
                        else
                            delete message.medianMs;
                        continue;
                    }
                case 15: {
                        if (wireType !== 1)
                            break;
                        if (!$Object.is(value = reader.double(), 0))
                            message.spreadMs = value;
                        else
                            delete message.spreadMs;
                        continue;
                    }
                case 16: {
                        if (wireType !== 1)
                            break;
                        if (!$Object.is(value = reader.double(), 0))
                            message.minMs = value;
                        else
                            delete message.minMs;
                        continue;
                    }
                case 17: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.uint32())
                            message.repeats = value;
                        else
                            delete message.repeats;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        /**
         * Decodes a LatencyEntry message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof prunas.LatencyEntry
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {prunas.LatencyEntry & prunas.LatencyEntry.$Shape} LatencyEntry
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LatencyEntry.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a LatencyEntry message.
         * @function verify
         * @memberof prunas.LatencyEntry
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        LatencyEntry.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
                if (!$util.isString(message.key))
                    return "key: string expected";
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                if (!$util.isString(message.kind))
                    return "kind: string expected";
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                if (!$util.isString(message.layer))
                    return "layer: string expected";
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                if (!$util.isInteger(message.candidate))
                    return "candidate: integer expected";
            if (message.inputHeight != null && $Object.hasOwnProperty.call(message, "inputHeight"))
                if (!$util.isInteger(message.inputHeight))
                    return "inputHeight: integer expected";
            if (message.inputWidth != null && $Object.hasOwnProperty.call(message, "inputWidth"))
                if (!$util.isInteger(message.inputWidth))
                    return "inputWidth: integer expected";
            if (message.inputChannels != null && $Object.hasOwnProperty.call(message, "inputChannels"))
                if (!$util.isInteger(message.inputChannels))
                    return "inputChannels: integer expected";
            if (message.outChannels != null && $Object.hasOwnProperty.call(message, "outChannels"))
                if (!$util.isInteger(message.outChannels))
                    return "outChannels: integer expected";
            if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel"))
                if (!$util.isInteger(message.kernel))
                    return "kernel: integer expected";
            if (message.expand != null && $Object.hasOwnProperty.call(message, "expand"))
                if (!$util.isInteger(message.expand))
                    return "expand: integer expected";
            if (message.stride != null && $Object.hasOwnProperty.call(message, "stride"))
                if (!$util.isInteger(message.stride))
                    return "stride: integer expected";
            if (message.residual != null && $Object.hasOwnProperty.call(message, "residual"))
                if (typeof message.residual !== "boolean")
                    return "residual: boolean expected";
            if (message.act != null && $Object.hasOwnProperty.call(message, "act"))
                if (!$util.isString(message.act))
                    return "act: string expected";
            if (message.medianMs != null && $Object.hasOwnProperty.call(message, "medianMs"))
                if (typeof message.medianMs !== "number")
                    return "medianMs: number expected";
            if (message.spreadMs != null && $Object.hasOwnProperty.call(message, "spreadMs"))
                if (typeof message.spreadMs !== "number")
                    return "spreadMs: number expected";
            if (message.minMs != null && $Object.hasOwnProperty.call(message, "minMs"))
                if (typeof message.minMs !== "number")
                    return "minMs: number expected";
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats"))
                if (!$util.isInteger(message.repeats))
                    return "repeats: integer expected";
            return null;
        };

        /**
         * Creates a LatencyEntry message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof prunas.LatencyEntry
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {prunas.LatencyEntry} LatencyEntry
         */
        LatencyEntry.fromObject = function (object, _depth) {
            if (object instanceof $root.prunas.LatencyEntry)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".prunas.LatencyEntry: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.prunas.LatencyEntry();
            if (object.key != null)
                if (typeof object.key !== "string" || object.key.length)
                    message.key = $String(object.key);
            if (object.kind != null)
                if (typeof object.kind !== "string" || object.kind.length)
                    message.kind = $String(object.kind);
            if (object.layer != null)
                if (typeof object.layer !== "string" || object.layer.length)
                    message.layer = $String(object.layer);
            if (object.candidate != null)
                if ($Number(object.candidate) !== 0)
                    message.candidate = object.candidate >>> 0;
            if (object.inputHeight != null)
                if ($Number(object.inputHeight) !== 0)
                    message.inputHeight = object.inputHeight >>> 0;
            if (object.inputWidth != null)
                if ($Number(object.inputWidth) !== 0)
                    message.inputWidth = object.inputWidth >>> 0;
            if (object.inputChannels != null)
                if ($Number(object.inputChannels) !== 0)
                    message.inputChannels = object.inputChannels >>> 0;
            if (object.outChannels != null)
                if ($Number(object.outChannels) !== 0)
                    message.outChannels = object.outChannels >>> 0;
            if (object.kernel != null)
                if ($Number(object.kernel) !== 0)
                    message.kernel = object.kernel >>> 0;
            if (object.expand != null)
                if ($Number(object.expand) !== 0)
                    message.expand = object.expand >>> 0;
            if (object.stride != null)
                if ($Number(object.stride) !== 0)
                    message.stride = object.stride >>> 0;
            if (object.residual != null)
                if (object.residual)
                    message.residual = $Boolean(object.residual);
            if (object.act != null)
                if (typeof object.act !== "string" || object.act.length)
                    message.act = $String(object.act);
            if (object.medianMs != null)
                if (!$Object.is($Number(object.medianMs), 0))
                    message.medianMs = $Number(object.medianMs);
            if (object.spreadMs != null)
                if (!$Object.is($Number(object.spreadMs), 0))
                    message.spreadMs = $Number(object.spreadMs);
            if (object.minMs != null)
                if (!$Object.is($Number(object.minMs), 0))
                    message.minMs = $Number(object.minMs);
            if (object.repeats != null)
                if ($Number(object.repeats) !== 0)
                    message.repeats = object.repeats >>> 0;
            return message;
        };

        /**
         * Creates a plain object from a LatencyEntry message. Also converts values to other types if specified.
         * @function toObject
         * @memberof prunas.LatencyEntry
         * @static
         * @param {prunas.LatencyEntry} message LatencyEntry
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        LatencyEntry.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.key = "";
                object.kind = "";
                object.layer = "";
                object.candidate = 0;
                object.inputHeight = 0;
                object.inputWidth = 0;
                object.inputChannels = 0;
                object.outChannels = 0;
                object.kernel = 0;
                object.expand = 0;
                object.stride = 0;
                object.residual = false;
                object.act = "";
                object.medianMs = 0;
                object.spreadMs = 0;
                object.minMs = 0;
                object.repeats = 0;
            }
            if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
                object.key = message.key;
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                object.kind = message.kind;
            if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                object.layer = message.layer;
            if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                object.candidate = message.candidate;
            if (message.inputHeight != null && $Object.hasOwnProperty.call(message, "inputHeight"))
                object.inputHeight = message.inputHeight;
            if (message.inputWidth != null && $Object.hasOwnProperty.call(message, "inputWidth"))
                object.inputWidth = message.inputWidth;
            if (message.inputChannels != null && $Object.hasOwnProperty.call(message, "inputChannels"))
                object.inputChannels = message.inputChannels;
            if (message.outChannels != null && $Object.hasOwnProperty.call(message, "outChannels"))
                object.outChannels = message.outChannels;
            if (message.kernel != null && $Object.hasOwnProperty.call(message, "kernel"))
                object.kernel = message.kernel;
            if (message.expand != null && $Object.hasOwnProperty.call(message, "expand"))
                object.expand = message.expand;
            if (message.stride != null && $Object.hasOwnProperty.call(message, "stride"))
                object.stride = message.stride;
            if (message.residual != null && $Object.hasOwnProperty.call(message, "residual"))
                object.residual = message.residual;
            if (message.act != null && $Object.hasOwnProperty.call(message, "act"))
                object.act = message.act;
            if (message.medianMs != null && $Object.hasOwnProperty.call(message, "medianMs"))
                object.medianMs = options.json && !$isFinite(message.medianMs) ? $String(message.medianMs) : message.medianMs;
            if (message.spreadMs != null && $Object.hasOwnProperty.call(message, "spreadMs"))
                object.spreadMs = options.json && !$isFinite(message.spreadMs) ? $String(message.spreadMs) : message.spreadMs;
            if (message.minMs != null && $Object.hasOwnProperty.call(message, "minMs"))
                object.minMs = options.json && !$isFinite(message.minMs) ? $String(message.minMs) : message.minMs;
            if (message.repeats != null && $Object.hasOwnProperty.call(message, "repeats"))
                object.repeats = message.repeats;
            return object;
        };

        /**
         * Converts this LatencyEntry to JSON.
         * @function toJSON
         * @memberof prunas.LatencyEntry
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        LatencyEntry.prototype.toJSON = function() {
            return LatencyEntry.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for LatencyEntry
         * @function getTypeUrl
         * @memberof prunas.LatencyEntry
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        LatencyEntry.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/prunas.LatencyEntry";
        };

        return LatencyEntry;
    })();

    return prunas;
})();

export {
  $root as default
};
